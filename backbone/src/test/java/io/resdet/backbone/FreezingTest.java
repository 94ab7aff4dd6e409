package io.resdet.backbone;

import ai.djl.ndarray.NDManager;
import io.resdet.nn.NormLayer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trainable_layers and frozen batch norm, as torchvision's detection backbones use them. */
class FreezingTest {
    @Test
    void threeTrainableLayersFreezeStemAndLayer1() {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone net = ResNets.builder().setArch("resnet50").optNumClasses(0).optNorm(NormLayer.frozen(0f)).build(m);
            Freezing.setTrainableLayers(net, 3);
            var names = Freezing.trainableNames(net);
            assertTrue(names.stream().noneMatch(n -> n.startsWith("conv1") || n.startsWith("layer1")));
            assertTrue(names.contains("layer2.0.conv1.weight"));
            assertTrue(names.contains("layer4.2.conv3.weight"));
            // Frozen BN contributes buffers only: every trainable tensor is a convolution weight.
            assertTrue(names.stream().allMatch(n -> n.endsWith("conv1.weight") || n.endsWith("conv2.weight")
                    || n.endsWith("conv3.weight") || n.endsWith("downsample.0.weight")), names.toString());
            assertFalse(net.namedTensors().containsKey("fc.weight"));
            assertEquals(23_454_912, net.parameterCount()); // torchvision's resnet50 with FrozenBatchNorm2d, no fc
        }
    }

    @Test
    void allLayersTrainableIncludesStemNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone net = ResNets.builder().setArch("resnet18").build(m);
            Freezing.setTrainableLayers(net, 5);
            assertEquals(net.namedParameters().size() - 2, Freezing.trainableNames(net).size()); // all but fc
            Freezing.setTrainableLayers(net, 0);
            assertTrue(Freezing.trainableNames(net).isEmpty());
        }
    }
}
