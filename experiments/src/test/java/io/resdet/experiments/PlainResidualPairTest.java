package io.resdet.experiments;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.resdet.backbone.Backbone;
import io.resdet.backbone.ResNets;
import io.resdet.nn.Param;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain net and its residual twin differ only by the shortcuts: same tensor names and shapes (option-A shortcuts
 * have no parameters), the same initial weights under one seed — and yet different outputs.
 */
class PlainResidualPairTest {
    @ParameterizedTest
    @ValueSource(ints = {20, 56})
    void sameParametersDifferentWiring(int depth) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            Backbone plain = ResNets.builder().setArch("plain_resnet" + depth).build(m);
            Engine.getInstance().setRandomSeed(11);
            Backbone res = ResNets.builder().setArch("resnet" + depth).build(m);
            Map<String, Param> p = plain.namedTensors(), r = res.namedTensors();
            assertEquals(p.keySet(), r.keySet());
            assertEquals(res.parameterCount(), plain.parameterCount());
            for (String k : p.keySet()) {
                assertEquals(r.get(k).get().getShape(), p.get(k).get().getShape(), k);
                assertArrayEquals(r.get(k).get().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(),
                        p.get(k).get().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(), 0f, k);
            }
            plain.train(false);
            res.train(false);
            plain.requiresGrad(false);
            res.requiresGrad(false);
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            float diff = plain.forward(x).sub(res.forward(x)).abs().max().getFloat();
            assertTrue(diff > 1e-3, "shortcuts change the output, diff " + diff);
        }
    }
}
