package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.backbone.Backbone;
import io.resdet.nn.Module;
import io.resdet.nn.NormLayer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code BackboneWithFPN}: the residual body (keys {@code backbone.body.*}) returning
 * layer1..layer4 as "0".."3", and the FPN on top ({@code backbone.fpn.*}).
 */
public final class BackboneWithFPN extends Module {
    private static final List<String> RETURN_LAYERS = List.of("layer1", "layer2", "layer3", "layer4");
    private final Backbone body;
    private final FeaturePyramidNetwork fpn;
    private final int outChannels;

    public BackboneWithFPN(NDManager m, Backbone body, int outChannels, NormLayer fpnNorm) {
        super(m);
        this.body = child("body", body);
        List<Integer> channels = body.stageChannels().subList(1, 5);
        this.fpn = child("fpn", new FeaturePyramidNetwork(m, channels, outChannels, fpnNorm, true));
        this.outChannels = outChannels;
    }

    public Backbone body() {
        return body;
    }

    public int outChannels() {
        return outChannels;
    }

    /** FPN levels "0".."3" and "pool"; the caller owns them. */
    public Map<String, NDArray> features(NDArray images) {
        Map<String, NDArray> c = body.features(images, RETURN_LAYERS);
        Map<String, NDArray> named = new LinkedHashMap<>();
        int i = 0;
        for (NDArray v : c.values()) named.put(Integer.toString(i++), v);
        Map<String, NDArray> p = fpn.forward(named);
        named.values().forEach(NDArray::close);
        return p;
    }
}
