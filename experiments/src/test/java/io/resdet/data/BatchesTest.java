package io.resdet.data;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.resdet.train.SplitMix;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Normalisation, zero padding in pixel space, crop offsets and flips, checked pixel by pixel. */
class BatchesTest {
    private static ImageSet ramp() {
        byte[] px = new byte[3 * 4 * 4];
        for (int c = 0; c < 3; c++) for (int k = 0; k < 16; k++) px[c * 16 + k] = (byte) (k * 10 + c);
        return new ImageSet(px, new int[] {1}, 3, 4, 4, List.of("a", "b"));
    }

    @Test
    void plainIsNormalisedPixels() {
        Engine.getInstance();
        ImageSet s = ramp();
        double[][] stats = {{0.1, 0.2, 0.3}, {0.5, 0.25, 2}};
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new Batches(s, stats, 4).plain(m, 0, 1).toFloatArray();
            assertEquals(((5 * 10 + 2) / 255f - 0.3f) / 2f, v[2 * 16 + 5], 1e-6);
            assertEquals(1, new Batches(s, stats, 4).labels(m, new int[] {0}).toLongArray()[0]);
        }
    }

    @Test
    void everyAugmentedBatchIsAShiftedPossiblyFlippedCopyWithZeroPadding() {
        Engine.getInstance();
        ImageSet s = ramp();
        double[][] stats = {{0.2, 0.2, 0.2}, {1, 1, 1}};
        SplitMix r = new SplitMix(5);
        boolean sawFlip = false, sawShift = false;
        try (NDManager m = NDManager.newBaseManager()) {
            Batches b = new Batches(s, stats, 2);
            for (int trial = 0; trial < 30; trial++) {
                float[] v = b.augmented(m, new int[] {0}, r).toFloatArray();
                boolean matched = false;
                for (int dy = -2; dy <= 2 && !matched; dy++) {
                    for (int dx = -2; dx <= 2 && !matched; dx++) {
                        for (boolean flip : new boolean[] {false, true}) {
                            if (same(v, s, dy, dx, flip)) {
                                matched = true;
                                sawFlip |= flip && dx != 0;
                                sawShift |= dy != 0 || dx != 0;
                                break;
                            }
                        }
                    }
                }
                assertTrue(matched, "trial " + trial + " is no crop of the padded image");
            }
        }
        assertTrue(sawFlip && sawShift, "30 draws include flips and shifts");
    }

    private static boolean same(float[] v, ImageSet s, int dy, int dx, boolean flip) {
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int sy = y + dy, sx = (flip ? 3 - x : x) + dx;
                    float want = sy < 0 || sy >= 4 || sx < 0 || sx >= 4 ? -0.2f
                            : (s.pixels()[c * 16 + sy * 4 + sx] & 0xFF) / 255f - 0.2f;
                    if (Math.abs(v[c * 16 + y * 4 + x] - want) > 1e-6) return false;
                }
            }
        }
        return true;
    }
}
