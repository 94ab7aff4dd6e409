package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Weights;
import io.resdet.testing.Arrays2;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logits of seeded torchvision classifiers (randomised BN statistics) reproduced from their state dicts. */
class TorchvisionParityTest {
    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"resnet18, 3, 2, 64, 80", "resnet50, 5, 1, 96, 72", "resnext50_32x4d, 7, 1, 64, 64"})
    void logitsMatch(String arch, int seed, int n, int h, int w) throws Exception {
        Oracle.run(Oracle.resource("/oracle/resnet_forward.py"), arch, dir.toString(), "" + seed, "" + n, "" + h, "" + w, "pth");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone net = ResNets.builder().setArch(arch).build(m);
            Weights.load(net, dir.resolve("weights.pth"), true);
            net.eval();
            Map<String, NDArray> io = Arrays2.readNpz(m, dir.resolve("io.npz"));
            NDArray y = net.forward(io.get("x"));
            double rel = Arrays2.relMaxAbs(y, io.get("y"));
            assertTrue(rel < 1e-4, arch + " relative max-abs error " + rel);
            // Multi-stage features (C2..C5 and the stem) are the same tensors torchvision computes.
            Map<String, NDArray> feats = net.features(io.get("x"), net.stageNames());
            assertEquals(net.stageNames(), List.copyOf(feats.keySet()));
            for (var e : feats.entrySet()) {
                double fr = Arrays2.relMaxAbs(e.getValue(), io.get(e.getKey()));
                assertTrue(fr < 1e-4, arch + " " + e.getKey() + " relative error " + fr);
            }
            assertEquals(List.of(64, net.stageChannels().get(1), net.stageChannels().get(2), net.stageChannels().get(3),
                    net.stageChannels().get(4)), net.stageChannels());
            assertEquals(io.get("layer4").getShape().get(1), (long) net.stageChannels().get(4));
            // Folding BN into the convolutions changes rounding, not results.
            BatchNormFolding.fold(net);
            double relFolded = Arrays2.relMaxAbs(net.forward(io.get("x")), io.get("y"));
            assertTrue(relFolded < 1e-4, arch + " folded: relative max-abs error " + relFolded);
        }
    }
}
