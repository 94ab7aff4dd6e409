package io.resdet.backbone;

import io.resdet.nn.Module;
import io.resdet.nn.Param;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code trainable_layers}: only the last {@code k} of (stem conv, layer1, ..., layerN) keep
 * their gradients; {@code k} equal to all of them also unfreezes the stem's {@code bn1}.
 */
public final class Freezing {
    private Freezing() {}

    public static void setTrainableLayers(Backbone net, int k) {
        int stages = net.stageNames().size() - 1;
        if (k < 0 || k > stages + 1) {
            throw new IllegalArgumentException("trainable layers must be in [0, " + (stages + 1) + "], got " + k);
        }
        List<String> order = new ArrayList<>();
        for (int i = stages; i >= 1; i--) order.add("layer" + i);
        order.add("conv1");
        List<String> train = new ArrayList<>(order.subList(0, k));
        if (k == stages + 1) train.add("bn1");
        for (Map.Entry<String, Param> e : net.namedParameters().entrySet()) {
            boolean keep = train.stream().anyMatch(e.getKey()::startsWith);
            e.getValue().setRequiresGrad(keep);
        }
    }

    /** Names of parameters that currently take gradients. */
    public static List<String> trainableNames(Module net) {
        List<String> out = new ArrayList<>();
        net.namedParameters().forEach((k, p) -> {
            if (p.requiresGrad()) out.add(k);
        });
        return out;
    }
}
