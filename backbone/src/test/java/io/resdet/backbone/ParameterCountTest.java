package io.resdet.backbone;

import ai.djl.ndarray.NDManager;
import io.resdet.nn.Module;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter counts: torchvision's exact numbers, and the ResNet papers' rounded ones. */
class ParameterCountTest {
    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest
    @CsvSource({
            "resnet18, 11689512",
            "resnet34, 21797672",
            "resnet50, 25557032",
            "resnet101, 44549160",
            "resnet152, 60192808",
            "resnext50_32x4d, 25028904",
            "wide_resnet50_2, 68883240",
    })
    void torchvisionCounts(String arch, long expected) {
        try (NDManager m = manager.newSubManager()) {
            Module net = ResNets.builder().setArch(arch).build(m);
            assertEquals(expected, net.parameterCount(), arch);
        }
    }

    /** The papers report millions to two significant digits (Table 6 of the ResNet paper; Table 3 of pre-activation). */
    @ParameterizedTest
    @CsvSource({
            "resnet20, 0.27",
            "resnet32, 0.46",
            "resnet44, 0.66",
            "resnet56, 0.85",
            "resnet110, 1.7",
            "resnet1202, 19.4",
            "preact164, 1.7",
    })
    void paperCounts(String arch, double millions) {
        try (NDManager m = manager.newSubManager()) {
            Module net = ResNets.builder().setArch(arch).build(m);
            double got = net.parameterCount() / 1e6;
            int digits = millions < 1 ? 2 : 1;
            double scale = Math.pow(10, digits);
            assertEquals(millions, Math.round(got * scale) / scale, 1e-9, arch + " has " + net.parameterCount());
        }
    }

    /**
     * The pre-activation paper's 10.2M for ResNet-1001 leaves out the batch-norm affine terms: with them
     * the network (the authors' code and ours) has 10.33M, without them 10.18M.
     */
    @Test
    void preact1001MatchesThePaperWithoutNormAffine() {
        try (NDManager m = manager.newSubManager()) {
            Module net = ResNets.builder().setArch("preact1001").build(m);
            long bn = net.namedParameters().entrySet().stream()
                    .filter(e -> e.getKey().matches(".*\\bbn\\d*\\.(weight|bias)"))
                    .mapToLong(e -> e.getValue().get().getShape().size()).sum();
            assertEquals(10_327_706, net.parameterCount());
            assertEquals(10.2, Math.round((net.parameterCount() - bn) / 1e5) / 10.0, 1e-9);
        }
    }

    @Test
    void plainTwinLacksOnlyTheProjections() {
        try (NDManager m = manager.newSubManager()) {
            Module res = ResNets.builder().setArch("resnet50").build(m);
            Module plain = ResNets.builder().setArch("plain_resnet50").build(m);
            var resKeys = res.namedTensors().keySet();
            var plainKeys = plain.namedTensors().keySet();
            assertTrue(resKeys.containsAll(plainKeys));
            for (String k : resKeys) {
                if (!plainKeys.contains(k)) assertTrue(k.contains(".downsample."), k);
            }
            // Option-A CIFAR shortcuts have no parameters, so the twins are equal in size.
            assertEquals(ResNets.builder().setArch("resnet56").build(m).parameterCount(),
                    ResNets.builder().setArch("plain_resnet56").build(m).parameterCount());
        }
    }
}
