package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * {@code nn.BatchNorm2d}: affine weight/bias parameters, running statistics as buffers, batch statistics
 * while training (momentum 0.1 in torch's convention).
 */
public final class BatchNorm2d extends Module implements Norm {
    private final Param weight;
    private final Param bias;
    private final Param runningMean;
    private final Param runningVar;
    private final Param numBatchesTracked;
    private final float eps;
    private final float momentum;
    private boolean folded;

    public BatchNorm2d(NDManager m, int channels) {
        this(m, channels, 1e-5f, 0.1f);
    }

    public BatchNorm2d(NDManager m, int channels, float eps, float momentum) {
        super(m);
        Shape c = new Shape(channels);
        weight = parameter("weight", m.ones(c, DataType.FLOAT32));
        bias = parameter("bias", m.zeros(c, DataType.FLOAT32));
        runningMean = buffer("running_mean", m.zeros(c, DataType.FLOAT32));
        runningVar = buffer("running_var", m.ones(c, DataType.FLOAT32));
        numBatchesTracked = buffer("num_batches_tracked", m.create(0L));
        this.eps = eps;
        this.momentum = momentum;
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    @Override
    public NDArray forward(NDArray x) {
        if (folded) return x;
        if (training) {
            // torch increments the counter in training; kept so an exported state dict loads strictly in torch.
            NDArray next = numBatchesTracked.get().add(1);
            ai.djl.ndarray.NDScope.unregister(next); // outlives any forward scope
            numBatchesTracked.set(next);
        }
        // DJL passes (1 - momentum) to torch, so torch's 0.1 is DJL's 0.9.
        return ai.djl.nn.norm.BatchNorm.batchNorm(x, runningMean.get(), runningVar.get(), weight.get(), bias.get(),
                1, 1f - momentum, eps, training).singletonOrThrow();
    }

    @Override
    public NDArray foldScale() {
        return weight.get().div(runningVar.get().add(eps).sqrt());
    }

    @Override
    public NDArray foldShift() {
        try (NDArray scale = foldScale(); NDArray ms = runningMean.get().mul(scale)) {
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
