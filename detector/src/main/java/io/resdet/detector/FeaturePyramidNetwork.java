package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Conv2d;
import io.resdet.nn.Functional;
import io.resdet.nn.Module;
import io.resdet.nn.NormLayer;
import io.resdet.nn.Scopes;
import io.resdet.nn.Sequential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code FeaturePyramidNetwork} (Lin et al.): a 1×1 lateral per input level, top-down
 * nearest upsampling to the lateral's exact size, a 3×3 output conv per level, then
 * {@code LastLevelMaxPool} adds "pool" (max-pool k=1 s=2 on the coarsest output). With a norm layer
 * (v2) each conv is conv(bias=False)+BN, otherwise a conv with bias — both wrapped as torchvision's
 * {@code Conv2dNormActivation} so keys read {@code inner_blocks.0.0.weight}.
 */
public final class FeaturePyramidNetwork extends Module {
    private final List<Sequential> innerBlocks = new ArrayList<>();
    private final List<Sequential> layerBlocks = new ArrayList<>();
    private final boolean lastLevelMaxPool;

    public FeaturePyramidNetwork(NDManager m, List<Integer> inChannels, int outChannels, NormLayer norm,
                                 boolean lastLevelMaxPool) {
        super(m);
        Sequential inner = child("inner_blocks", new Sequential(m));
        Sequential layer = child("layer_blocks", new Sequential(m));
        for (int c : inChannels) {
            innerBlocks.add(convNorm(m, c, outChannels, 1, norm));
            layerBlocks.add(convNorm(m, outChannels, outChannels, 3, norm));
        }
        innerBlocks.forEach(inner::add);
        layerBlocks.forEach(layer::add);
        this.lastLevelMaxPool = lastLevelMaxPool;
        initLikeTorchvision();
    }

    static Sequential convNorm(NDManager m, int in, int out, int k, NormLayer norm) {
        Sequential s = new Sequential(m);
        s.add(new Conv2d(m, in, out, k, 1, (k - 1) / 2, 1, norm == null));
        if (norm != null) s.add(norm.create(m, out));
        return s;
    }

    /** torchvision: {@code kaiming_uniform_(a=1)} weights and zero biases for every FPN conv. */
    private void initLikeTorchvision() {
        visit("", (p, mod) -> {
            if (mod instanceof Conv2d c) {
                long fanIn = io.resdet.nn.Init.fanIn(c.weight().get().getShape());
                float bound = (float) Math.sqrt(3.0 / fanIn); // gain 1 (a=1): sqrt(6 / ((1 + 1) · fan_in))
                c.weight().set(manager.randomUniform(-bound, bound, c.weight().get().getShape()));
                if (c.bias() != null) c.bias().set(manager.zeros(c.bias().get().getShape()));
            }
        });
    }

    /**
     * @param x C2..C5 in order (names kept: "0".."3")
     * @return P2..P5 under the same names, plus "pool" with {@code LastLevelMaxPool}
     */
    public Map<String, NDArray> forward(Map<String, NDArray> x) {
        List<String> names = new ArrayList<>(x.keySet());
        List<NDArray> feats = new ArrayList<>(x.values());
        int n = feats.size();
        NDArray[] results = new NDArray[n];
        Scopes.keepAll(() -> {
            NDArray lastInner = innerBlocks.get(n - 1).forward(feats.get(n - 1));
            results[n - 1] = layerBlocks.get(n - 1).forward(lastInner);
            for (int i = n - 2; i >= 0; i--) {
                NDArray lateral = innerBlocks.get(i).forward(feats.get(i));
                long[] size = {lateral.getShape().get(2), lateral.getShape().get(3)};
                NDArray topDown = lastInner.getNDArrayInternal().interpolation(size, 0, false); // nearest
                lastInner = lateral.add(topDown);
                results[i] = layerBlocks.get(i).forward(lastInner);
            }
            return new ai.djl.ndarray.NDList(results);
        });
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) out.put(names.get(i), results[i]);
        if (lastLevelMaxPool) out.put("pool", Scopes.keep(() -> Functional.maxPool2d(results[n - 1], 1, 2, 0)));
        return out;
    }
}
