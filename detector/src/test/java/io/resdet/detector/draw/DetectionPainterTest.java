package io.resdet.detector.draw;

import io.resdet.detector.Detection;
import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionPainterTest {
    @TempDir Path dir;

    static RgbImage gray(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        Arrays.fill(rgb, (byte) 128);
        return new RgbImage(w, h, rgb);
    }

    static int[] pixel(RgbImage im, int x, int y) {
        int o = (y * im.width() + x) * 3;
        return new int[] {im.rgb()[o] & 0xff, im.rgb()[o + 1] & 0xff, im.rgb()[o + 2] & 0xff};
    }

    @Test
    void drawsBoxEdgesInTheClassColourAndLeavesTheRestAlone() {
        RgbImage in = gray(200, 150);
        byte[] before = in.rgb().clone();
        Detection d = new Detection(40, 50, 160, 120, 3, "car", 0.87f);
        RgbImage out = DetectionPainter.annotate(in, List.of(d));
        assertArrayEquals(before, in.rgb(), "input untouched");
        Color c = DetectionPainter.colour(3);
        int[] edge = pixel(out, 100, 120);
        assertEquals(c.getRed(), edge[0], 2);
        assertEquals(c.getGreen(), edge[1], 2);
        assertEquals(c.getBlue(), edge[2], 2);
        assertArrayEquals(new int[] {128, 128, 128}, pixel(out, 100, 90), "box interior");
        assertArrayEquals(new int[] {128, 128, 128}, pixel(out, 5, 145), "outside");
        // The tag sits above the box: some of the rows just above the top edge changed.
        int changed = 0;
        for (int x = 40; x < 100; x++) if (pixel(out, x, 45)[0] != 128) changed++;
        assertTrue(changed > 30, "label background above the box: " + changed);
    }

    @Test
    void distinctClassesGetDistinctColoursAndLinesScaleWithSize() throws Exception {
        for (int a = 1; a < 91; a++) for (int b = a + 1; b < 91; b++) assertNotEquals(DetectionPainter.colour(a), DetectionPainter.colour(b));
        RgbImage small = DetectionPainter.annotate(gray(320, 240), List.of(new Detection(10, 60, 300, 200, 1, "person", 0.5f)));
        RgbImage large = DetectionPainter.annotate(gray(3200, 2400), List.of(new Detection(100, 600, 3000, 2000, 1, "person", 0.5f)));
        assertTrue(thickness(large, 1500, 2000) > 3 * thickness(small, 150, 200), "line width grows with the image");
        Path f = dir.resolve("a.png");
        AnnotatedImages.write(Images.toBufferedImage(small), f);
        assertArrayEquals(small.rgb(), Images.read(f).rgb(), "PNG is lossless");
    }

    /** Rows around y at column x that differ from the gray background. */
    private static int thickness(RgbImage im, int x, int y) {
        int n = 0;
        for (int yy = Math.max(0, y - 40); yy < Math.min(im.height(), y + 40); yy++) if (pixel(im, x, yy)[0] != 128) n++;
        return n;
    }
}
