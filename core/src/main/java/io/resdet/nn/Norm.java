package io.resdet.nn;

import ai.djl.ndarray.NDArray;

/** A per-channel normalisation that reduces, in inference, to {@code x * scale + shift}. */
public interface Norm {
    /** The inference-time per-channel scale {@code w / sqrt(var + eps)} (a new array). */
    NDArray foldScale();

    /** The inference-time per-channel shift {@code b - mean * scale} (a new array). */
    NDArray foldShift();

    /** After folding into the preceding convolution this normalisation passes its input through. */
    void markFolded();

    /** Whether {@link #markFolded()} was called: folding a second time would apply the scale twice. */
    boolean isFolded();

    NDArray forward(NDArray x);
}
