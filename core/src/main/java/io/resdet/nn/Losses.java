package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Loss functions with torch's reductions. */
public final class Losses {
    private Losses() {}

    /** {@code F.cross_entropy(logits, labels)}, mean over the batch; labels are int64 class indices. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return Scopes.keep(() -> {
            NDArray logp = logits.logSoftmax(1);
            // A copy libtorch owns: gather keeps the index for backward (see scalar()).
            NDArray picked = logp.gather(labels.toType(DataType.INT64, false).duplicate().reshape(-1, 1), 1);
            return picked.mean().neg();
        });
    }

    /**
     * A scalar made by libtorch. DJL's {@code mul(Number)}, {@code div(Number)}, {@code maximum(Number)} wrap the
     * number in a tensor over a Java buffer and close it at once; autograd keeps that tensor for the backward
     * pass, which then reads memory the garbage collector may have freed (measured: NaN gradients after a GC).
     * Use this for constants in anything that is differentiated.
     */
    public static NDArray scalar(NDArray like, double v) {
        return like.getManager().full(new ai.djl.ndarray.types.Shape(), (float) v, like.getDataType(), like.getDevice());
    }

    /** {@code F.smooth_l1_loss(x, y, beta=beta, reduction="sum")}: quadratic below {@code beta}, linear above. */
    public static NDArray smoothL1Sum(NDArray x, NDArray y, double beta) {
        return Scopes.keep(() -> {
            NDArray n = x.sub(y).abs();
            NDArray quad = n.mul(n).mul(scalar(n, 0.5)).div(scalar(n, (float) beta));
            NDArray lin = n.sub(scalar(n, (float) (0.5 * beta)));
            return ai.djl.ndarray.NDArrays.where(n.lt(scalar(n, (float) beta)), quad, lin).sum();
        });
    }

    /**
     * {@code F.binary_cross_entropy_with_logits(x, y)}, mean: {@code softplus(x) - x·y}. libtorch's softplus is
     * stable for large logits and its gradient is exactly {@code sigmoid(x)}, so the input gradient is torch's
     * {@code sigmoid(x) - y} everywhere (the max/abs form has kinks at 0 where autograd picks a side).
     */
    public static NDArray bceWithLogits(NDArray x, NDArray y) {
        return Scopes.keep(() -> {
            // x·y's backward keeps y: a clone libtorch owns, in case y wraps a Java buffer (see scalar()).
            return x.getNDArrayInternal().softPlus().sub(x.mul(y.duplicate())).mean();
        });
    }
}
