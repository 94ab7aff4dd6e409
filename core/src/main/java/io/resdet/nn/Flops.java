package io.resdet.nn;

import ai.djl.ndarray.NDArray;

import java.util.function.Supplier;

/**
 * Counts the multiply-adds of convolutions and linear layers while {@link #count} runs a forward pass on the calling
 * thread, from the shapes they actually see — so a benchmark can say what fraction of the machine's peak a run reached.
 * Element-wise work, pooling, RoIAlign and NMS are not counted (a few percent of a detector's arithmetic).
 */
public final class Flops {
    private static final ThreadLocal<long[]> MACS = new ThreadLocal<>();

    private Flops() {}

    /** The result of {@code body} and the multiply-adds it did; nested counts are not supported. */
    public record Counted<T>(T value, long multiplyAdds) {
        /** Floating-point operations, a multiply-add counted as two. */
        public double flops() {
            return 2.0 * multiplyAdds;
        }
    }

    public static <T> Counted<T> count(Supplier<T> body) {
        long[] c = new long[1];
        MACS.set(c);
        try {
            return new Counted<>(body.get(), c[0]);
        } finally {
            MACS.remove();
        }
    }

    /** A convolution produced {@code out}: each output element cost (input channels / groups) × k × k multiply-adds. */
    static void conv(NDArray out, NDArray weight) {
        long[] c = MACS.get();
        if (c == null) return;
        long[] w = weight.getShape().getShape();
        c[0] += out.getShape().size() * w[1] * w[2] * w[3];
    }

    /** A linear layer produced {@code out}: each output element cost {@code in} multiply-adds. */
    static void linear(NDArray out, NDArray weight) {
        long[] c = MACS.get();
        if (c == null) return;
        c[0] += out.getShape().size() * weight.getShape().get(1);
    }
}
