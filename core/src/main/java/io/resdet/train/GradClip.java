package io.resdet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import io.resdet.nn.Param;

import java.util.Collection;

/** {@code torch.nn.utils.clip_grad_norm_}: scales all gradients by {@code min(1, max/(‖g‖+1e-6))}. */
public final class GradClip {
    private GradClip() {}

    /** Returns the global L2 norm before clipping (what torch returns, useful to log). */
    public static double clipGlobalNorm(Collection<Param> params, double maxNorm) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList norms = new NDList();
            for (Param p : params) norms.add(p.get().getGradient().norm());
            float total = NDArrays.stack(norms).norm().getFloat();
            float coef = (float) maxNorm / (total + 1e-6f);
            if (coef < 1f) {
                for (Param p : params) {
                    NDArray g = p.get().getGradient();
                    g.muli(coef);
                }
            }
            return total;
        }
    }

    /** The global gradient L2 norm without changing anything. */
    public static double globalNorm(Collection<Param> params) {
        return clipGlobalNorm(params, Double.POSITIVE_INFINITY);
    }
}
