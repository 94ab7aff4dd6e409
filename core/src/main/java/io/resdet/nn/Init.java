package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** torch.nn.init equivalents; they draw from the engine's generator, so {@code Engine.setRandomSeed} makes them repeatable. */
public final class Init {
    private Init() {}

    /** {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")}, torchvision's ResNet conv init. */
    public static NDArray kaimingNormalFanOut(NDManager m, Shape shape) {
        long fanOut = shape.get(0) * receptiveField(shape);
        float std = (float) Math.sqrt(2.0 / fanOut);
        return m.randomNormal(0f, std, shape, DataType.FLOAT32);
    }

    /** {@code kaiming_normal_(mode="fan_in", nonlinearity="relu")}. */
    public static NDArray kaimingNormalFanIn(NDManager m, Shape shape) {
        long fanIn = shape.get(1) * receptiveField(shape);
        float std = (float) Math.sqrt(2.0 / fanIn);
        return m.randomNormal(0f, std, shape, DataType.FLOAT32);
    }

    /** torch's default for Linear/Conv weights and biases: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    public static NDArray uniformFanIn(NDManager m, Shape shape, long fanIn) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        return m.randomUniform(-bound, bound, shape, DataType.FLOAT32);
    }

    public static long fanIn(Shape weightShape) {
        return weightShape.get(1) * receptiveField(weightShape);
    }

    private static long receptiveField(Shape shape) {
        long r = 1;
        for (int i = 2; i < shape.dimension(); i++) r *= shape.get(i);
        return r;
    }
}
