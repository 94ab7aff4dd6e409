package io.resdet.nn;

import ai.djl.ndarray.NDManager;

/**
 * Which normalisation a network is built with (torchvision's {@code norm_layer}): trainable batch norm,
 * or frozen batch norm with a chosen eps (0.0 for torchvision's COCO detection checkpoints).
 */
public record NormLayer(boolean frozen, float eps) {
    public static final NormLayer BATCH_NORM = new NormLayer(false, 1e-5f);

    public static NormLayer frozen(float eps) {
        return new NormLayer(true, eps);
    }

    /** Creates the layer; the result is both a {@link Module} and a {@link Norm}. */
    public Module create(NDManager m, int channels) {
        return frozen ? new FrozenBatchNorm2d(m, channels, eps) : new BatchNorm2d(m, channels, eps, 0.1f);
    }
}
