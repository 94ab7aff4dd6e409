package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * libtorch's channels-last layout ({@code torch.channels_last}), which DJL has no call for: a 4-d tensor keeps its
 * (N, C, H, W) shape but stores each pixel's channels next to each other (N, H, W, C in memory).
 *
 * <p>Why: on the CPU libtorch runs float32 convolutions through oneDNN, whose kernels work on channel-blocked data.
 * Given plain NCHW tensors, every convolution reorders its input into that form and its output back; given
 * channels-last tensors it computes in place, and its outputs stay channels-last — as do the element-wise
 * operations, pooling and upsampling after it — so the whole backbone runs without those reorders.
 *
 * <p>How, with DJL's calls only: permute to (N, H, W, C), flatten into that order, copy, view as (N, H, W, C) and
 * permute back. The result is the same tensor, value for value, in memory libtorch owns. The copy matters: where the
 * permuted tensor happens to be dense already (one channel, a 1×1 kernel's weights, an input that is channels-last
 * already) flatten returns a view, and an array DJL filled from a Java buffer (loaded weights are) lives in that
 * buffer, which the garbage collector frees once the array is closed — a view of it would read freed memory.
 */
public final class MemoryFormat {
    private MemoryFormat() {}

    /** {@code x.contiguous(memory_format=torch.channels_last)} for a 4-d {@code x}; attached to x's manager. */
    public static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4) throw new IllegalArgumentException("channels-last needs a 4-d tensor, got " + s);
        try (NDArray nhwc = x.transpose(0, 2, 3, 1); NDArray flat = nhwc.flatten(); NDArray owned = flat.duplicate();
             NDArray dense = owned.reshape(s.get(0), s.get(2), s.get(3), s.get(1))) {
            return dense.transpose(0, 3, 1, 2);
        }
    }
}
