package io.resdet.backbone;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.resdet.nn.Losses;
import io.resdet.nn.Param;
import io.resdet.nn.Weights;
import io.resdet.testing.Arrays2;
import io.resdet.testing.Oracle;
import io.resdet.train.Sgd;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CIFAR networks the experiments train, against a PyTorch implementation written from the paper (torchvision has
 * none): option-A shortcuts (stride-2 subsampling, zero channels split before and after), the plain twin, BatchNorm
 * in training mode. Logits, loss and every parameter's gradient of a first step, then the loss after one SGD update,
 * then evaluation-mode logits (which read the BatchNorm running statistics both steps moved).
 */
class CifarResNetParityTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"resnet14", "plain_resnet14"})
    void twoSgdStepsMatchPyTorch(String arch) throws Exception {
        boolean plain = arch.startsWith("plain_");
        Oracle.run(Oracle.resource("/oracle/cifar_resnet_steps.py"), "14", plain ? "plain" : "resnet", dir.toString(), "3");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone net = ResNets.builder().setArch(arch).optNumClasses(10).build(m);
            Weights.load(net, dir.resolve("weights.pth"), true);
            Map<String, NDArray> want = Arrays2.readNpz(m, dir.resolve("expected.npz"));
            NDArray x = want.get("x"), y = want.get("y").toType(DataType.INT64, false);
            Sgd sgd = new Sgd(net.namedParameters(), 0.9, 1e-4);
            net.train(true);
            for (int step = 1; step <= 2; step++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = net.forward(x);
                    NDArray loss = Losses.crossEntropy(logits, y);
                    assertClose(want.get("logits" + step), logits, 1e-4, arch + " logits, step " + step);
                    assertEquals(want.get("loss" + step).getFloat(), loss.getFloat(), 1e-5, arch + " loss, step " + step);
                    System.gc(); // arrays over Java buffers that autograd saved would be freed here
                    gc.backward(loss);
                }
                if (step == 1) {
                    int compared = 0;
                    for (Map.Entry<String, Param> e : net.namedParameters().entrySet()) {
                        NDArray g = want.get("grad/" + e.getKey());
                        assertTrue(g != null, "PyTorch has no parameter " + e.getKey());
                        assertClose(g, e.getValue().get().getGradient(), 1e-3, arch + " gradient of " + e.getKey());
                        compared++;
                    }
                    assertEquals(want.keySet().stream().filter(k -> k.startsWith("grad/")).count(), compared);
                }
                sgd.step(0.1);
                sgd.zeroGrad();
            }
            net.train(false);
            assertClose(want.get("eval_logits"), net.forward(x), 1e-4, arch + " evaluation-mode logits after two steps");
        }
    }

    private static void assertClose(NDArray want, NDArray got, double tol, String what) {
        double rel = Arrays2.relMaxAbs(got, want);
        assertTrue(rel < tol, what + ": relative max-abs error " + rel);
    }
}
