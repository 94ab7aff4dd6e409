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
 * {@link FasterRCNNs.Builder#fromSpec}. Write one by name with {@link #builder()}.
 */
public record DetectorSpec(String arch, int numClasses, List<String> classNames, int minSize, int maxSize,
                           List<Integer> trainMinSizes, String norm, List<Integer> returnedLayers, int fpnChannels,
                           List<Integer> anchorSizes, int representationSize, int trainableLayers,
                           RegionProposalNetwork.RpnConfig rpn, RoIHeads.HeadsConfig heads) {
    public static final String METADATA_KEY = "resdet.detector";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public DetectorSpec withClassNames(List<String> names) {
        return toBuilder().optClassNames(names).build();
    }

    /** {@code setArch} required; the rest optional with torchvision's defaults (as {@link FasterRCNNs.Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().setArch(arch).optNumClasses(numClasses).optClassNames(classNames).optMinSize(minSize)
                .optMaxSize(maxSize).optTrainMinSizes(trainMinSizes).optNorm(norm).optReturnedLayers(returnedLayers)
                .optFpnChannels(fpnChannels).optAnchorSizes(anchorSizes).optRepresentationSize(representationSize)
                .optTrainableLayers(trainableLayers).optRpn(rpn).optHeads(heads);
        return b;
    }

    /** DJL-style builder of a spec, every setting by name. */
    public static final class Builder {
        private String arch;
        private int numClasses = 91, minSize = 800, maxSize = 1333, fpnChannels = 256, representationSize = 1024, trainableLayers = 3;
        private List<String> classNames;
        private List<Integer> trainMinSizes = List.of(), returnedLayers = List.of(1, 2, 3, 4), anchorSizes;
        private String norm;
        private RegionProposalNetwork.RpnConfig rpn = RegionProposalNetwork.RpnConfig.defaults();
        private RoIHeads.HeadsConfig heads = RoIHeads.HeadsConfig.defaults();

        public Builder setArch(String arch) {
            this.arch = arch;
            return this;
        }

        /** Classes including background. */
        public Builder optNumClasses(int n) {
            this.numClasses = n;
            return this;
        }

        public Builder optClassNames(List<String> names) {
            this.classNames = names;
            return this;
        }

        public Builder optMinSize(int s) {
            this.minSize = s;
            return this;
        }

        public Builder optMaxSize(int s) {
            this.maxSize = s;
            return this;
        }

        public Builder optTrainMinSizes(List<Integer> sizes) {
            this.trainMinSizes = sizes;
            return this;
        }

        /** {@code frozen} or {@code batchnorm}; null: the architecture's default. */
        public Builder optNorm(String norm) {
            this.norm = norm;
            return this;
        }

        public Builder optReturnedLayers(List<Integer> layers) {
            this.returnedLayers = layers;
            return this;
        }

        public Builder optFpnChannels(int c) {
            this.fpnChannels = c;
            return this;
        }

        /** One per pyramid level; null: 32, 64, 128, ... */
        public Builder optAnchorSizes(List<Integer> sizes) {
            this.anchorSizes = sizes;
            return this;
        }

        public Builder optRepresentationSize(int n) {
            this.representationSize = n;
            return this;
        }

        public Builder optTrainableLayers(int k) {
            this.trainableLayers = k;
            return this;
        }

        public Builder optRpn(RegionProposalNetwork.RpnConfig rpn) {
            this.rpn = rpn;
            return this;
        }

        public Builder optHeads(RoIHeads.HeadsConfig heads) {
            this.heads = heads;
            return this;
        }

        public DetectorSpec build() {
            if (arch == null) throw new IllegalStateException("setArch is required");
            return new DetectorSpec(arch, numClasses, classNames, minSize, maxSize, trainMinSizes, norm, returnedLayers,
                    fpnChannels, anchorSizes, representationSize, trainableLayers, rpn, heads);
        }
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
