package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.resdet.nn.Conv2d;
import io.resdet.nn.Functional;
import io.resdet.nn.Init;
import io.resdet.nn.Linear;
import io.resdet.nn.Module;
import io.resdet.nn.NormLayer;
import io.resdet.nn.Scopes;
import io.resdet.nn.Sequential;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ResNet paper's CIFAR-10 networks (§4.2): depth 6n+2, a 3×3 16-filter stem, three stages of n basic
 * blocks with 16/32/64 filters on 32/16/8 maps, global pooling and a 10-way {@code fc}. Shortcut option A
 * (zero-padded identity) or B (projection where the shape changes).
 *
 * <p>Initialisation: the paper initialises "as in [13]" (He et al. 2015), for which its CIFAR networks have no
 * published code; resdet follows the reproduction that reached the paper's errors and whose checkpoints it loads
 * (akamaster/pytorch_resnet_cifar10), which is also Caffe's {@code msra} filler: {@code N(0, 2/fan_in)} for every
 * convolution and for the classifier's weight, torch's default for the classifier's bias, BatchNorm at 1 and 0.
 * (torchvision's ImageNet ResNets use {@code fan_out} for convolutions and leave the classifier at torch's default.)
 */
public final class CifarResNet extends Backbone {
    public enum Shortcut { A, B }

    static final List<String> STAGES = List.of("stem", "layer1", "layer2", "layer3");
    private final Conv2d conv1;
    private final Module bn1;
    private final Sequential[] layers = new Sequential[3];
    private final Linear fc;
    private final int depth;

    public CifarResNet(NDManager m, int depth, int numClasses, Shortcut shortcut, NormLayer norm, boolean residual) {
        this(m, depth, numClasses, shortcut, norm, residual, 3);
    }

    /** {@code inChannels}: the stem's input channels, 3 for colour images, 1 for grey ones (Fashion-MNIST). */
    public CifarResNet(NDManager m, int depth, int numClasses, Shortcut shortcut, NormLayer norm, boolean residual,
                       int inChannels) {
        super(m);
        if (inChannels < 1) throw new IllegalArgumentException("input channels must be at least 1, got " + inChannels);
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("CIFAR ResNet depth must be 6n+2 (20, 32, 44, 56, 110, 1202), got " + depth);
        }
        this.depth = depth;
        int n = (depth - 2) / 6;
        conv1 = child("conv1", Conv2d.conv3x3(m, inChannels, 16, 1, 1));
        bn1 = child("bn1", norm.create(m, 16));
        int in = 16;
        int[] widths = {16, 32, 64};
        for (int i = 0; i < 3; i++) {
            Sequential stage = new Sequential(m);
            for (int b = 0; b < n; b++) {
                int s = (b == 0 && i > 0) ? 2 : 1;
                Module downsample = null;
                if (s != 1 || in != widths[i]) {
                    downsample = shortcut == Shortcut.A
                            ? new ShortcutA(m, in, widths[i], s)
                            : new Sequential(m).add(Conv2d.conv1x1(m, in, widths[i], s)).add(norm.create(m, widths[i]));
                }
                stage.add(new BasicBlock(m, in, widths[i], s, downsample, norm, residual));
                in = widths[i];
            }
            layers[i] = child("layer" + (i + 1), stage);
        }
        fc = child("fc", new Linear(m, 64, numClasses));
        heInit(m);
    }

    /** Redraws every convolution's and the classifier's weight from {@code N(0, 2/fan_in)}, in module order. */
    private void heInit(NDManager m) {
        visit("", (prefix, module) -> {
            if (module instanceof Conv2d c) c.weight().set(Init.kaimingNormalFanIn(m, c.weight().get().getShape()));
        });
        if (fc.weight().get().getShape().size() > 0) fc.weight().set(Init.kaimingNormalFanIn(m, fc.weight().get().getShape()));
    }

    public int depth() {
        return depth;
    }

    @Override
    public List<String> stageNames() {
        return STAGES;
    }

    @Override
    public List<Integer> stageChannels() {
        return List.of(16, 16, 32, 64);
    }

    @Override
    public NDArray forward(NDArray x) {
        return Scopes.keep(() -> {
            NDArray y = Functional.relu(bn1.forward(conv1.forward(x)));
            for (Sequential layer : layers) y = layer.forward(y);
            return fc.forward(Functional.globalAvgPoolFlat(y));
        });
    }

    @Override
    public Map<String, NDArray> features(NDArray x, List<String> wanted) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray y = Functional.relu(bn1.forward(conv1.forward(x)));
            ResNet.keepIf(out, wanted, "stem", y);
            for (int i = 0; i < 3 && out.size() < wanted.size(); i++) {
                y = layers[i].forward(y);
                ResNet.keepIf(out, wanted, "layer" + (i + 1), y);
            }
        }
        out.values().forEach(NDScope::register);
        return out;
    }

    Module[] stemPair() {
        return new Module[] {conv1, bn1};
    }
}
