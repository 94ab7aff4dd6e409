package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** {@code nn.Linear}: weight (out, in), bias (out), torch's default uniform initialisation. */
public final class Linear extends Module {
    private final Param weight;
    private final Param bias;

    public Linear(NDManager m, int in, int out) {
        super(m);
        weight = parameter("weight", Init.uniformFanIn(m, new Shape(out, in), in));
        bias = parameter("bias", Init.uniformFanIn(m, new Shape(out), in));
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray y = ai.djl.nn.core.Linear.linear(x, weight.get(), bias.get()).singletonOrThrow();
        Flops.linear(y, weight.get());
        return y;
    }
}
