package io.resdet.backbone;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.resdet.nn.Losses;
import io.resdet.nn.Module;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One training step through 1000+ layers still delivers a usable gradient to the first convolution. */
class DeepGradientTest {
    @ParameterizedTest
    @ValueSource(strings = {"resnet1202", "preact1001"})
    void firstLayerGetsFiniteNonZeroGradient(String arch) {
        Engine.getInstance().setRandomSeed(42);
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = ResNets.builder().setArch(arch).optNumClasses(10).build(m);
            net.train(true);
            NDArray x = m.randomNormal(new Shape(4, 3, 16, 16));
            NDArray y = m.create(new long[] {0, 3, 7, 9});
            NDArray grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = Losses.crossEntropy(net.forward(x), y);
                assertTrue(Float.isFinite(loss.getFloat()), "loss " + loss.getFloat());
                gc.backward(loss);
            }
            grad = net.namedParameters().get("conv1.weight").get().getGradient();
            assertEquals(new Shape(16, 3, 3, 3), grad.getShape());
            float[] g = grad.toType(DataType.FLOAT32, false).toFloatArray();
            double norm = 0;
            for (float v : g) {
                assertTrue(Float.isFinite(v));
                norm += (double) v * v;
            }
            assertTrue(Math.sqrt(norm) > 1e-6, arch + " first-layer gradient norm " + Math.sqrt(norm));
        }
    }
}
