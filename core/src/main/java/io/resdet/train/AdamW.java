package io.resdet.train;

import ai.djl.ndarray.NDArray;
import io.resdet.nn.Param;

import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code torch.optim.AdamW} (amsgrad off): decoupled decay {@code p *= 1 - lr·wd}, then Adam's bias-corrected
 * step {@code p -= lr/bc1 · m / (sqrt(v)/sqrt(bc2) + eps)} in torch's operation order.
 */
public final class AdamW extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;

    public AdamW(Map<String, Param> params, double beta1, double beta2, double eps, double weightDecay,
                 Predicate<String> decayed) {
        super(params, decayed);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** torch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public AdamW(Map<String, Param> params) {
        this(params, 0.9, 0.999, 1e-8, 0.01, decayAll());
    }

    @Override
    protected void update(String name, NDArray p, NDArray g, double lr) {
        if (weightDecay != 0 && decayed.test(name)) p.muli((float) (1 - lr * weightDecay));
        NDArray m = state.get("exp_avg." + name);
        NDArray v = state.get("exp_avg_sq." + name);
        if (m == null) {
            m = keepState("exp_avg." + name, p.zerosLike());
            v = keepState("exp_avg_sq." + name, p.zerosLike());
        }
        m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
        v.muli((float) beta2).addi(g.mul(g).muli((float) (1 - beta2)));
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        double stepSize = lr / bc1;
        NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi((float) eps);
        p.subi(m.div(denom).muli((float) stepSize));
    }
}
