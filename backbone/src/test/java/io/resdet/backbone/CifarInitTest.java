package io.resdet.backbone;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.resdet.io.StateDict;
import io.resdet.io.TensorData;
import io.resdet.nn.Param;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CIFAR networks start as the reference reproduction does (He et al.'s N(0, 2/fan_in) for every convolution and
 * the classifier's weight), take one input channel for grey data, and read akamaster's {@code linear.*} as {@code fc.*}.
 */
class CifarInitTest {
    @Test
    void everyWeightIsHeNormalOverFanIn() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Backbone net = ResNets.builder().setArch("resnet56").build(m);
            int checked = 0;
            for (Map.Entry<String, Param> e : net.namedParameters().entrySet()) {
                String k = e.getKey();
                NDArray w = e.getValue().get();
                if (!k.endsWith("weight") || k.contains("bn")) continue;
                Shape s = w.getShape();
                long fanIn = s.get(1) * (s.dimension() == 4 ? s.get(2) * s.get(3) : 1);
                float[] v = w.toFloatArray();
                double sum = 0, sq = 0;
                for (float x : v) sum += x;
                double mean = sum / v.length;
                for (float x : v) sq += (x - mean) * (x - mean);
                double std = Math.sqrt(sq / v.length), want = Math.sqrt(2.0 / fanIn);
                // The sample std of n normal values is within 5/sqrt(2n) of the true one but for one draw in millions.
                assertTrue(Math.abs(std / want - 1) < 5 / Math.sqrt(2.0 * v.length), k + ": std " + std + ", He/fan_in " + want);
                assertTrue(Math.abs(mean) < 5 * want / Math.sqrt(v.length), k + ": mean " + mean);
                checked++;
            }
            assertEquals(1 + 54 + 1, checked, "the stem, 54 block convolutions and the classifier");
            float[] bn = net.namedTensors().get("layer2.0.bn1.weight").get().toFloatArray();
            for (float x : bn) assertEquals(1f, x);
        }
    }

    @Test
    void greyInputTakesAOneChannelStem() {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone net = ResNets.builder().setArch("plain_resnet20").optInChannels(1).build(m);
            assertEquals(new Shape(16, 1, 3, 3), net.namedParameters().get("conv1.weight").get().getShape());
            net.train(false);
            assertEquals(new Shape(2, 10), net.forward(m.randomNormal(new Shape(2, 1, 32, 32))).getShape());
            Backbone pre = ResNets.builder().setArch("preact164").optInChannels(1).build(m);
            assertEquals(new Shape(16, 1, 3, 3), pre.namedParameters().get("conv1.weight").get().getShape());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ResNets.builder().setArch("resnet18").optInChannels(1).build(m));
            assertTrue(e.getMessage().contains("resnet18 takes 3 input channels"), e.getMessage());
        }
    }

    @Test
    void publishedLinearIsReadAsFcForCifarNetworksOnly() {
        StateDict sd = new StateDict().put("conv1.weight", TensorData.ofFloats(new long[] {1}, new float[] {1}))
                .put("linear.weight", TensorData.ofFloats(new long[] {1}, new float[] {2}))
                .put("linear.bias", TensorData.ofFloats(new long[] {1}, new float[] {3}));
        PublishedLayouts.Adapted a = PublishedLayouts.adapt("resnet20", sd);
        assertEquals(List.of("conv1.weight", "fc.weight", "fc.bias"), a.stateDict().keys());
        assertEquals(sd.get("linear.bias"), a.stateDict().get("fc.bias"));
        assertTrue(a.mapping().contains("linear.* as fc.*"));
        assertEquals(a.stateDict().keys(), PublishedLayouts.adapt("plain_resnet1202", sd).stateDict().keys());
        assertEquals(a.stateDict().keys(), PublishedLayouts.adapt("preact164", sd).stateDict().keys());
        // ImageNet networks, and checkpoints that have an fc of their own, are left as they are.
        assertNull(PublishedLayouts.adapt("resnet18", sd).mapping());
        assertEquals(sd.keys(), PublishedLayouts.adapt("resnet18", sd).stateDict().keys());
        sd.put("fc.weight", TensorData.ofFloats(new long[] {1}, new float[] {4}));
        assertNull(PublishedLayouts.adapt("resnet20", sd).mapping());
    }
}
