package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Forwards leave nothing behind but their outputs: the manager holds the same arrays before and after. */
class NoLeakTest {
    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50", "resnet20", "preact164", "plain_resnet56"})
    void repeatedForwardsKeepArrayCountFlat(String arch) {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone net = ResNets.builder().setArch(arch).build(m);
            net.eval();
            net.requiresGrad(false);
            NDArray x = m.randomNormal(new Shape(1, 3, 32, 32));
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                net.forward(x).close();
                Map<String, NDArray> f = net.features(x, net.stageNames());
                f.values().forEach(NDArray::close);
            }
            assertEquals(before, m.getManagedArrays().size(), arch + " leaked arrays");
            BatchNormFolding.fold(net);
            int folded = m.getManagedArrays().size();
            net.forward(x).close();
            net.features(x, List.of("layer1")).values().forEach(NDArray::close);
            assertEquals(folded, m.getManagedArrays().size(), arch + " leaked arrays after folding");
        }
    }
}
