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
 * torchvision's {@code BackboneWithFPN}: the residual body (keys {@code backbone.body.*}) returning its
 * returned layers (layer1..layer4 by default) as "0", "1", ..., and the FPN on top ({@code backbone.fpn.*}).
 */
public final class BackboneWithFPN extends Module {
    private final Backbone body;
    private final FeaturePyramidNetwork fpn;
    private final int outChannels;
    private final List<String> returnLayers;

    public BackboneWithFPN(NDManager m, Backbone body, int outChannels, NormLayer fpnNorm) {
        this(m, body, List.of(1, 2, 3, 4), outChannels, fpnNorm);
    }

    /** {@code returnedLayers}: ascending stage numbers 1..4, torchvision's {@code returned_layers}. */
    public BackboneWithFPN(NDManager m, Backbone body, List<Integer> returnedLayers, int outChannels, NormLayer fpnNorm) {
        super(m);
        this.body = child("body", body);
        List<Integer> channels = returnedLayers.stream().map(k -> body.stageChannels().get(k)).toList();
        this.returnLayers = returnedLayers.stream().map(k -> "layer" + k).toList();
        this.fpn = child("fpn", new FeaturePyramidNetwork(m, channels, outChannels, fpnNorm, true));
        this.outChannels = outChannels;
    }

    /** Names of the pyramid's levels as the RoI pooler sees them: "0", "1", ... (without "pool"). */
    public List<String> levelNames() {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < returnLayers.size(); i++) out.add(Integer.toString(i));
        return out;
    }

    public Backbone body() {
        return body;
    }

    public int outChannels() {
        return outChannels;
    }

    /** FPN levels "0", "1", ... and "pool"; the caller owns them. */
    public Map<String, NDArray> features(NDArray images) {
        Map<String, NDArray> c = body.features(images, returnLayers);
        Map<String, NDArray> named = new LinkedHashMap<>();
        int i = 0;
        for (NDArray v : c.values()) named.put(Integer.toString(i++), v);
        StageTimer.lap("backbone", named.get(Integer.toString(i - 1)));
        Map<String, NDArray> p = fpn.forward(named);
        named.values().forEach(NDArray::close);
        return p;
    }
}
