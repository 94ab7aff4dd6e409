package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Engines;

/** Run in a child JVM by the offline test: starts the engine and runs a ResNet-18 forward. */
public final class OfflineProbe {
    public static void main(String[] args) {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            var net = ResNets.resnet18(m);
            net.eval();
            NDArray y = net.forward(m.ones(new ai.djl.ndarray.types.Shape(1, 3, 64, 64)));
            System.out.println("logits " + y.getShape());
        }
    }
}
