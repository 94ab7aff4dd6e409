package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** {@code nn.Conv2d}: square kernels, weights (out, in/groups, k, k), optional bias. */
public final class Conv2d extends Module {
    private final Param weight;
    private Param bias;
    private final Shape stride;
    private final Shape padding;
    private final Shape dilation;
    private final int groups;

    public Conv2d(NDManager m, int in, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        super(m);
        Shape w = new Shape(out, in / groups, kernel, kernel);
        this.weight = parameter("weight", Init.kaimingNormalFanOut(m, w));
        this.bias = bias ? parameter("bias", m.zeros(new Shape(out), DataType.FLOAT32)) : null;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.dilation = new Shape(1, 1);
        this.groups = groups;
    }

    /** A 3×3 convolution with padding 1 and no bias (torchvision's {@code conv3x3}). */
    public static Conv2d conv3x3(NDManager m, int in, int out, int stride, int groups) {
        return new Conv2d(m, in, out, 3, stride, 1, groups, false);
    }

    /** A 1×1 convolution with no bias (torchvision's {@code conv1x1}). */
    public static Conv2d conv1x1(NDManager m, int in, int out, int stride) {
        return new Conv2d(m, in, out, 1, stride, 0, 1, false);
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public int outChannels() {
        return (int) weight.get().getShape().get(0);
    }

    /** Gives a bias-free convolution a bias slot (batch-norm folding needs one). */
    public Param ensureBias() {
        if (bias == null) bias = parameter("bias", manager.zeros(new Shape(outChannels()), DataType.FLOAT32));
        return bias;
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray b = bias == null ? null : bias.get();
        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, weight.get(), b, stride, padding, dilation, groups)
                .singletonOrThrow();
        Flops.conv(y, weight.get());
        return y;
    }
}
