package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.resdet.nn.Conv2d;
import io.resdet.nn.Functional;
import io.resdet.nn.Linear;
import io.resdet.nn.Module;
import io.resdet.nn.NormLayer;
import io.resdet.nn.Scopes;
import io.resdet.nn.Sequential;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pre-activation ResNets for CIFAR (He et al. 2016): depth 6n+2 with basic units (e.g. 110) or 9n+2 with
 * bottleneck units (164, 1001); 16/32/64 base widths; a final BN → ReLU before pooling.
 */
public final class PreActResNet extends Backbone {
    private final Conv2d conv1;
    private final Sequential[] layers = new Sequential[3];
    private final Module bn;
    private final Linear fc;
    private final int outChannels;

    public PreActResNet(NDManager m, int depth, boolean bottleneck, int numClasses, NormLayer norm, boolean residual) {
        this(m, depth, bottleneck, numClasses, norm, residual, 3);
    }

    /** {@code inChannels}: the stem's input channels, 3 for colour images, 1 for grey ones (Fashion-MNIST). */
    public PreActResNet(NDManager m, int depth, boolean bottleneck, int numClasses, NormLayer norm, boolean residual,
                        int inChannels) {
        super(m);
        if (inChannels < 1) throw new IllegalArgumentException("input channels must be at least 1, got " + inChannels);
        int per = bottleneck ? 9 : 6;
        if (depth < per + 2 || (depth - 2) % per != 0) {
            throw new IllegalArgumentException("pre-activation ResNet depth must be " + per + "n+2 with "
                    + (bottleneck ? "bottleneck" : "basic") + " units, got " + depth);
        }
        int n = (depth - 2) / per;
        conv1 = child("conv1", Conv2d.conv3x3(m, inChannels, 16, 1, 1));
        int in = 16;
        int[] planes = {16, 32, 64};
        for (int i = 0; i < 3; i++) {
            Sequential stage = new Sequential(m);
            for (int b = 0; b < n; b++) {
                int s = (b == 0 && i > 0) ? 2 : 1;
                stage.add(new PreActBlock(m, bottleneck, in, planes[i], s, norm, residual));
                in = bottleneck ? planes[i] * 4 : planes[i];
            }
            layers[i] = child("layer" + (i + 1), stage);
        }
        outChannels = in;
        bn = child("bn", norm.create(m, in));
        fc = child("fc", new Linear(m, in, numClasses));
    }

    @Override
    public List<String> stageNames() {
        return CifarResNet.STAGES;
    }

    @Override
    public List<Integer> stageChannels() {
        int e = outChannels / 64;
        return List.of(16, 16 * e, 32 * e, 64 * e);
    }

    @Override
    public NDArray forward(NDArray x) {
        return Scopes.keep(() -> {
            NDArray y = conv1.forward(x);
            for (Sequential layer : layers) y = layer.forward(y);
            return fc.forward(Functional.globalAvgPoolFlat(Functional.relu(bn.forward(y))));
        });
    }

    /** Stage outputs are pre-activation sums; the last one is taken after the final BN → ReLU. */
    @Override
    public Map<String, NDArray> features(NDArray x, List<String> wanted) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray y = conv1.forward(x);
            ResNet.keepIf(out, wanted, "stem", y);
            for (int i = 0; i < 3 && out.size() < wanted.size(); i++) {
                y = layers[i].forward(y);
                if (i == 2) y = Functional.relu(bn.forward(y));
                ResNet.keepIf(out, wanted, "layer" + (i + 1), y);
            }
        }
        out.values().forEach(NDScope::register);
        return out;
    }
}
