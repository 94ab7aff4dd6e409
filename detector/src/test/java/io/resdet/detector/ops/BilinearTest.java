package io.resdet.detector.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Expected values are torch 1.13's {@code interpolate(x, size, mode="bilinear", align_corners=False)}. */
class BilinearTest {
    @Test
    void shrinksWithoutAntialiasingAndEnlargesLikeTorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, new Shape(1, 1, 8));
            // With antialiasing (DJL's interpolation) these would be [0.714, 2.5, 4.5, 6.286] and [1.105, 3.5, 5.895].
            assertArrayEquals(new float[] {0.5f, 2.5f, 4.5f, 6.5f}, Bilinear.resize(x, 1, 4).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.8333333f, 3.5f, 6.1666670f}, Bilinear.resize(x, 1, 3).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0f, 0.5f, 1.1666667f, 1.8333334f, 2.5f, 3.1666667f, 3.8333335f, 4.5f, 5.1666665f,
                    5.8333335f, 6.5f, 7f}, Bilinear.resize(x, 1, 12).toFloatArray(), 1e-6f);
            // Both axes, two channels: arange(32).view(2, 4, 4) → 2×2.
            NDArray sq = m.arange(0f, 32f).reshape(2, 4, 4);
            assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f, 18.5f, 20.5f, 26.5f, 28.5f},
                    Bilinear.resize(sq, 2, 2).toFloatArray(), 1e-6f);
        }
    }
}
