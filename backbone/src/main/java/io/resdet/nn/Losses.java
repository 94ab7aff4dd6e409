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
}
