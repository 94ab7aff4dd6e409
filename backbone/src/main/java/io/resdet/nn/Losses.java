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
            NDArray picked = logp.gather(labels.toType(DataType.INT64, false).reshape(-1, 1), 1);
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
     * {@code F.binary_cross_entropy_with_logits(x, y)}, mean: {@code max(x, 0) - x·y + log(1 + exp(-|x|))}, the
     * form that stays finite for large logits.
     */
    public static NDArray bceWithLogits(NDArray x, NDArray y) {
        return Scopes.keep(() -> {
            NDArray relu = x.getNDArrayInternal().relu();
            NDArray soft = x.abs().neg().exp().add(scalar(x, 1)).log();
            return relu.sub(x.mul(y)).add(soft).mean();
        });
    }
}
