package io.resdet.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated set is reproducible, balanced, and its classes are not told apart by colour. */
class SyntheticShapesTest {
    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        ImageSet a = SyntheticShapes.generate(50, 3), b = SyntheticShapes.generate(50, 3), c = SyntheticShapes.generate(50, 4);
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(java.util.Arrays.equals(a.pixels(), c.pixels()));
        assertEquals(10, a.classes().size());
        assertEquals("disk-horizontal", a.classes().get(0));
    }

    @Test
    void balancedLabelsAndNoColourShortcut() {
        ImageSet s = SyntheticShapes.generate(2000, 1);
        int[] count = new int[10];
        double[][] mean = new double[10][3];
        int hw = 32 * 32;
        for (int i = 0; i < s.size(); i++) {
            int l = s.labels()[i];
            count[l]++;
            for (int ch = 0; ch < 3; ch++) {
                long sum = 0;
                for (int k = 0; k < hw; k++) sum += s.pixels()[(i * 3 + ch) * hw + k] & 0xFF;
                mean[l][ch] += sum / (double) hw;
            }
        }
        for (int l = 0; l < 10; l++) {
            assertEquals(200, count[l]);
            for (int ch = 0; ch < 3; ch++) {
                double m = mean[l][ch] / count[l];
                // Random colours: every class's average colour sits near mid-grey, so colour carries no label.
                assertTrue(Math.abs(m - 127.5) < 15, "class " + l + " channel " + ch + " mean " + m);
            }
        }
    }

    @Test
    void shapesDifferInOutline() {
        // At radius units every shape covers the centre, and they disagree elsewhere.
        for (int s = 0; s < 5; s++) assertEquals(s != 3, SyntheticShapes.inside(s, 0, 0), "shape " + s + " at centre");
        assertTrue(SyntheticShapes.inside(0, 0.7, 0.7) && !SyntheticShapes.inside(1, 0.85, 0.0));
        assertTrue(SyntheticShapes.inside(4, 0.9, 0.1) && !SyntheticShapes.inside(4, 0.6, 0.6));
    }
}
