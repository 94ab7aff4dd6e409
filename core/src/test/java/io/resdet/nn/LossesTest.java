package io.resdet.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each loss and its input gradient against torch on fixed inputs (both sides of smooth-L1's β = 1/9, logits of ±40).
 * A garbage collection runs between forward and backward: a constant that autograd saved over a freed Java buffer
 * would show up here as a wrong or NaN gradient.
 */
class LossesTest {
    static JsonNode want;

    @BeforeAll
    static void oracle() throws Exception {
        want = new ObjectMapper().readTree(Oracle.run(Oracle.resource("/io/resdet/nn/losses.py")).strip());
    }

    @Test
    void smoothL1SumMatchesTorch() throws Exception {
        check(new float[] {0f, 0.05f, -0.2f, 3f, 0.111f, -0.112f, 1e-4f, -7.5f}, new Shape(2, 4),
                x -> Losses.smoothL1Sum(x, x.getManager().create(new float[] {0.1f, 0, 0, 0, 0, 0, 0, -7.4f}, new Shape(2, 4)), 1.0 / 9),
                "smooth_l1");
    }

    @Test
    void bceWithLogitsMatchesTorch() throws Exception {
        check(new float[] {0f, 2.5f, -3f, 40f, -40f, 0.7f}, new Shape(6),
                x -> Losses.bceWithLogits(x, x.getManager().create(new float[] {1, 0, 1, 1, 0, 0})), "bce");
    }

    @Test
    void crossEntropyMatchesTorch() throws Exception {
        check(new float[] {2f, -1f, 0.5f, 0.1f, 0.2f, 0.3f, -5f, 5f, 0f}, new Shape(3, 3),
                x -> Losses.crossEntropy(x, x.getManager().create(new long[] {0, 2, 1})), "ce");
    }

    private static void check(float[] input, Shape shape, Function<NDArray, NDArray> loss, String name) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(input, shape);
            x.setRequiresGradient(true);
            float value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = Scopes.keep(() -> loss.apply(x));
                value = l.getFloat();
                System.gc();
                Thread.sleep(50);
                gc.backward(l);
            }
            assertEquals(want.get(name).asDouble(), value, 1e-6, name);
            float[] g = x.getGradient().toFloatArray();
            for (int i = 0; i < g.length; i++) {
                assertEquals(want.get(name + "_grad").get(i).asDouble(), g[i], 1e-6, name + " gradient " + i);
            }
        }
    }
}
