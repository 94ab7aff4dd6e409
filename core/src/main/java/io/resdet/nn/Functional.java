package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;

/** Parameter-free operations ({@code torch.nn.functional}). */
public final class Functional {
    private Functional() {}

    public static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    /** {@code F.max_pool2d(x, k, stride, padding)} with floor mode. */
    public static NDArray maxPool2d(NDArray x, int kernel, int stride, int padding) {
        return Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding), false);
    }

    /** {@code adaptive_avg_pool2d(x, 1)} followed by {@code flatten(1)}: (N, C, H, W) → (N, C). */
    public static NDArray globalAvgPoolFlat(NDArray x) {
        Shape s = x.getShape();
        // DJL's mean takes one axis at a time on this engine: flatten H×W first.
        try (NDArray flat = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3))) {
            return flat.mean(new int[] {2});
        }
    }
}
