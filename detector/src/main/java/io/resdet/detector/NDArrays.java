package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** Array helpers that smooth over DJL edge cases. */
final class NDArrays {
    private NDArrays() {}

    /** Concatenation that also works for one element (DJL's returns a strided duplicate). */
    static NDArray concat(NDList arrays, int axis) {
        if (arrays.size() == 1) return arrays.get(0).duplicate();
        return ai.djl.ndarray.NDArrays.concat(arrays, axis);
    }
}
