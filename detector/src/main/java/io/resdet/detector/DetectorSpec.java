package io.resdet.detector;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What shapes a {@link FasterRCNN} besides its weights: architecture, class names, input sizes, pyramid,
 * anchors, head widths, proposal and sampling settings. Trained weights carry it (safetensors metadata key
 * {@value #METADATA_KEY}) so a model file is enough to rebuild its network. Rebuild with
 * {@link FasterRCNNs.Builder#fromSpec}.
 */
public record DetectorSpec(String arch, int numClasses, List<String> classNames, int minSize, int maxSize,
                           List<Integer> trainMinSizes, String norm, List<Integer> returnedLayers, int fpnChannels,
                           List<Integer> anchorSizes, int representationSize, int trainableLayers,
                           RegionProposalNetwork.RpnConfig rpn, RoIHeads.HeadsConfig heads) {
    public static final String METADATA_KEY = "resdet.detector";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public DetectorSpec withClassNames(List<String> names) {
        return new DetectorSpec(arch, numClasses, names, minSize, maxSize, trainMinSizes, norm, returnedLayers,
                fpnChannels, anchorSizes, representationSize, trainableLayers, rpn, heads);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException naming the problem when the text is not a spec */
    public static DetectorSpec fromJson(String json) {
        try {
            DetectorSpec s = JSON.readValue(json, DetectorSpec.class);
            if (s.arch() == null || s.numClasses() < 2) throw new IllegalArgumentException("detector spec lacks arch/numClasses");
            return s;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed detector spec: " + e.getOriginalMessage(), e);
        }
    }
}
