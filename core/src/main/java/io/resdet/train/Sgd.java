package io.resdet.train;

import ai.djl.ndarray.NDArray;
import io.resdet.nn.Param;

import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code torch.optim.SGD} (no dampening, no Nesterov): {@code d = g + wd·p; buf = μ·buf + d} (the first
 * step copies {@code d}); {@code p -= lr·buf}.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final double weightDecay;

    public Sgd(Map<String, Param> params, double momentum, double weightDecay, Predicate<String> decayed) {
        super(params, decayed);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    public Sgd(Map<String, Param> params, double momentum, double weightDecay) {
        this(params, momentum, weightDecay, decayAll());
    }

    @Override
    protected void update(String name, NDArray p, NDArray g, double lr) {
        NDArray d = weightDecay != 0 && decayed.test(name) ? g.add(p.mul((float) weightDecay)) : g;
        NDArray step = d;
        if (momentum != 0) {
            String key = "momentum_buffer." + name;
            NDArray buf = state.get(key);
            if (buf == null) {
                buf = keepState(key, d.duplicate());
            } else {
                buf.muli((float) momentum).addi(d);
            }
            step = buf;
        }
        p.subi(step.mul((float) lr));
    }
}
