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

    /** {@code F.smooth_l1_loss(x, y, beta=beta, reduction="sum")}: quadratic below {@code beta}, linear above. */
    public static NDArray smoothL1Sum(NDArray x, NDArray y, double beta) {
        return Scopes.keep(() -> {
            NDArray n = x.sub(y).abs();
            NDArray quad = n.mul(n).mul(0.5f).div((float) beta);
            NDArray lin = n.sub((float) (0.5 * beta));
            return ai.djl.ndarray.NDArrays.where(n.lt((float) beta), quad, lin).sum();
        });
    }

    /**
     * {@code F.binary_cross_entropy_with_logits(x, y)}, mean: {@code max(x, 0) - x·y + log(1 + exp(-|x|))}, the
     * form that stays finite for large logits.
     */
    public static NDArray bceWithLogits(NDArray x, NDArray y) {
        return Scopes.keep(() -> {
            NDArray relu = x.maximum(0f);
            NDArray soft = x.abs().neg().exp().add(1f).log();
            return relu.sub(x.mul(y)).add(soft).mean();
        });
    }
}
