package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** Array helpers that smooth over DJL edge cases. */
final class DjlWorkarounds {
    private DjlWorkarounds() {}

    /** Concatenation that also works for one element (DJL's returns a strided duplicate). */
    static NDArray concat(NDList arrays, int axis) {
        if (arrays.size() == 1) return arrays.get(0).duplicate();
        return ai.djl.ndarray.NDArrays.concat(arrays, axis);
    }

    /**
     * A host array as a tensor that owns its memory. DJL wraps Java buffers without copying; when such a tensor
     * is saved by autograd (an index, a label) and its Java handle is closed before backward, the buffer can be
     * collected and backward reads freed memory. A clone belongs to libtorch.
     */
    static NDArray owned(ai.djl.ndarray.NDManager m, long[] values, ai.djl.Device device) {
        try (NDArray host = m.create(values)) {
            return host.toDevice(device, true).duplicate();
        }
    }
}
