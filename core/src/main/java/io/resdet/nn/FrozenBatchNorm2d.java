package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * torchvision's {@code FrozenBatchNorm2d}: all four tensors are buffers (absent from parameter counts),
 * statistics never update. {@code eps} is 0.0 for torchvision's COCO detection weights
 * ({@code overwrite_eps}) and 1e-5 otherwise.
 */
public final class FrozenBatchNorm2d extends Module implements Norm {
    private final Param weight;
    private final Param bias;
    private final Param runningMean;
    private final Param runningVar;
    private final float eps;
    private boolean folded;

    public FrozenBatchNorm2d(NDManager m, int channels, float eps) {
        super(m);
        Shape c = new Shape(channels);
        weight = buffer("weight", m.ones(c, DataType.FLOAT32));
        bias = buffer("bias", m.zeros(c, DataType.FLOAT32));
        runningMean = buffer("running_mean", m.zeros(c, DataType.FLOAT32));
        runningVar = buffer("running_var", m.ones(c, DataType.FLOAT32));
        this.eps = eps;
    }

    public float eps() {
        return eps;
    }

    @Override
    public NDArray forward(NDArray x) {
        if (folded) return x;
        // Same arithmetic order as torchvision so results agree to the last bits.
        long c = weight.get().getShape().get(0);
        Shape bc = new Shape(1, c, 1, 1);
        try (NDArray scale = foldScale(); NDArray shift = foldShift(scale);
             NDArray s4 = scale.reshape(bc); NDArray b4 = shift.reshape(bc); NDArray xs = x.mul(s4)) {
            return xs.add(b4);
        }
    }

    @Override
    public NDArray foldScale() {
        try (NDArray ve = runningVar.get().add(eps); NDArray sd = ve.sqrt(); NDArray r = sd.pow(-1f)) {
            return weight.get().mul(r);
        }
    }

    @Override
    public NDArray foldShift() {
        try (NDArray scale = foldScale()) {
            return foldShift(scale);
        }
    }

    private NDArray foldShift(NDArray scale) {
        try (NDArray ms = runningMean.get().mul(scale)) {
            return bias.get().sub(ms);
        }
    }

    @Override
    public void markFolded() {
        folded = true;
    }

    @Override
    public boolean isFolded() {
        return folded;
    }
}
