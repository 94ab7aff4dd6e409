package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.resdet.nn.Conv2d;
import io.resdet.nn.Module;
import io.resdet.nn.Norm;
import io.resdet.nn.Param;
import io.resdet.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * Inference speed-up: folds each {@code conv → BN} pair into one convolution with a bias
 * ({@code w' = w·γ/√(σ²+ε)}, {@code b' = β − μ·γ/√(σ²+ε)}), so BN costs nothing at run time. The model is
 * put in eval mode and stays inference-only; its state dict no longer matches torchvision's.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    /** Folds every pair it finds under {@code root} that is not folded yet; returns how many it folded. */
    public static int fold(Module root) {
        root.eval();
        List<Module[]> pairs = new ArrayList<>();
        root.visit("", (prefix, m) -> {
            if (m instanceof ResidualBlock b) pairs.addAll(b.convNormPairs());
            if (m instanceof ResNet r) pairs.add(r.stemPair());
            if (m instanceof CifarResNet c) pairs.add(c.stemPair());
            if (m instanceof Sequential s) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.layers().get(i) instanceof Conv2d && s.layers().get(i + 1) instanceof Norm) {
                        pairs.add(new Module[] {s.layers().get(i), s.layers().get(i + 1)});
                    }
                }
            }
        });
        pairs.removeIf(p -> ((Norm) p[1]).isFolded()); // folded before (e.g. for inference, then for float16)
        for (Module[] p : pairs) foldPair((Conv2d) p[0], (Norm) p[1]);
        return pairs.size();
    }

    private static void foldPair(Conv2d conv, Norm norm) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray scale = norm.foldScale();
            NDArray shift = norm.foldShift();
            long out = scale.getShape().get(0);
            NDArray w = conv.weight().get().mul(scale.reshape(out, 1, 1, 1));
            Param biasSlot = conv.bias() == null ? conv.ensureBias() : conv.bias();
            NDArray b = biasSlot.get().mul(scale).add(shift);
            NDScope.unregister(w, b);
            w.attach(conv.getManager());
            b.attach(conv.getManager());
            conv.weight().set(w);
            biasSlot.set(b);
        }
        norm.markFolded();
    }
}
