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
 * torchvision's ImageNet {@code ResNet}: 7×7/2 stem, 3×3/2 max-pool, four stages (C2..C5), global
 * average pool, {@code fc}. Build one with {@link ResNets}.
 */
public final class ResNet extends Backbone {
    static final List<String> STAGES = List.of("stem", "layer1", "layer2", "layer3", "layer4");

    private final Conv2d conv1;
    private final Module bn1;
    private final Sequential[] layers = new Sequential[4];
    private Linear fc;
    private final ResNetConfig config;
    private final int[] stageChannels = new int[5];

    ResNet(NDManager m, ResNetConfig c) {
        super(m);
        this.config = c;
        NormLayer norm = c.norm();
        conv1 = child("conv1", new Conv2d(m, 3, 64, 7, 2, 3, 1, false));
        bn1 = child("bn1", norm.create(m, 64));
        int inplanes = 64;
        stageChannels[0] = 64;
        int[] planes = {64, 128, 256, 512};
        int expansion = c.bottleneck() ? Bottleneck.EXPANSION : BasicBlock.EXPANSION;
        for (int i = 0; i < 4; i++) {
            int stride = i == 0 ? 1 : 2;
            Sequential stage = new Sequential(m);
            for (int b = 0; b < c.blocks()[i]; b++) {
                int s = b == 0 ? stride : 1;
                Module downsample = null;
                if (b == 0 && (s != 1 || inplanes != planes[i] * expansion)) {
                    downsample = new Sequential(m)
                            .add(Conv2d.conv1x1(m, inplanes, planes[i] * expansion, s))
                            .add(norm.create(m, planes[i] * expansion));
                }
                stage.add(c.bottleneck()
                        ? new Bottleneck(m, inplanes, planes[i], s, downsample, c.groups(), c.widthPerGroup(), norm,
                                c.residual())
                        : new BasicBlock(m, inplanes, planes[i], s, downsample, norm, c.residual()));
                inplanes = planes[i] * expansion;
            }
            layers[i] = child("layer" + (i + 1), stage);
            stageChannels[i + 1] = inplanes;
        }
        fc = c.numClasses() > 0 ? child("fc", new Linear(m, inplanes, c.numClasses())) : null;
    }

    public ResNetConfig config() {
        return config;
    }

    /**
     * Removes the stages after {@code layerK} and the classifier, as torchvision's
     * {@code IntermediateLayerGetter} does for a detection body that returns fewer layers: their weights
     * leave the state dict and their compute is never paid.
     */
    public void truncateAfter(int layerK) {
        if (layerK < 1 || layerK > 4) throw new IllegalArgumentException("last layer must be 1..4, got " + layerK);
        for (int i = layerK; i < 4; i++) {
            if (layers[i] != null) removeChild("layer" + (i + 1));
            layers[i] = null;
        }
        if (fc != null) removeChild("fc");
        fc = null;
    }

    /** The deepest stage still present (4 unless {@link #truncateAfter truncated}). */
    public int lastLayer() {
        int k = 0;
        while (k < 4 && layers[k] != null) k++;
        return k;
    }

    public Sequential layer(int i) {
        return layers[i - 1];
    }

    @Override
    public List<String> stageNames() {
        return STAGES;
    }

    @Override
    public List<Integer> stageChannels() {
        return java.util.Arrays.stream(stageChannels).boxed().toList();
    }

    /** Logits (N, numClasses) for an already normalised (N, 3, H, W) batch. */
    @Override
    public NDArray forward(NDArray x) {
        if (fc == null) throw new IllegalStateException("built without a classifier (numClasses = 0)");
        return Scopes.keep(() -> {
            NDArray y = stem(x);
            for (Sequential layer : layers) y = layer.forward(y);
            return fc.forward(Functional.globalAvgPoolFlat(y));
        });
    }

    private NDArray stem(NDArray x) {
        return Functional.maxPool2d(Functional.relu(bn1.forward(conv1.forward(x))), 3, 2, 1);
    }

    @Override
    public Map<String, NDArray> features(NDArray x, List<String> wanted) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray y = stem(x);
            keepIf(out, wanted, "stem", y);
            for (int i = 0; i < 4; i++) {
                if (out.size() == wanted.size() || layers[i] == null) break;
                y = layers[i].forward(y);
                keepIf(out, wanted, "layer" + (i + 1), y);
            }
        }
        out.values().forEach(NDScope::register);
        return out;
    }

    static void keepIf(Map<String, NDArray> out, List<String> wanted, String name, NDArray y) {
        if (wanted.contains(name)) {
            NDScope.unregister(y);
            out.put(name, y);
        }
    }

    /** The stem's convolution/normalisation pair (for batch-norm folding). */
    Module[] stemPair() {
        return new Module[] {conv1, bn1};
    }
}
