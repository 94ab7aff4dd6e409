package io.resdet.detector;

import ai.djl.ndarray.NDManager;
import io.resdet.backbone.Backbone;
import io.resdet.backbone.Freezing;
import io.resdet.backbone.ResNets;
import io.resdet.detector.ops.AnchorGenerator;
import io.resdet.detector.ops.MultiScaleRoIAlign;
import io.resdet.nn.Module;
import io.resdet.nn.NormLayer;

import java.util.List;

/**
 * Builders mirroring torchvision's {@code fasterrcnn_resnet50_fpn} (v1) and {@code fasterrcnn_resnet50_fpn_v2},
 * and the same detectors on any ImageNet ResNet ({@code fasterrcnn_resnet18_fpn}, ..._resnet152_fpn,
 * and {@code _v2} variants).
 *
 * <p>v1's backbone uses FrozenBatchNorm2d; its eps is 0.0 for torchvision's COCO checkpoint (torchvision's
 * {@code overwrite_eps}) and 1e-5 otherwise — {@link Builder#optFrozenBnEps}. v2 uses trainable
 * BatchNorm in backbone, FPN and box head, a two-conv RPN head and the 4conv+1fc box head.
 */
public final class FasterRCNNs {
    private FasterRCNNs() {}

    public static final List<String> ARCHS = List.of(
            "fasterrcnn_resnet50_fpn", "fasterrcnn_resnet50_fpn_v2",
            "fasterrcnn_resnet18_fpn", "fasterrcnn_resnet34_fpn", "fasterrcnn_resnet101_fpn", "fasterrcnn_resnet152_fpn",
            "fasterrcnn_resnet18_fpn_v2", "fasterrcnn_resnet34_fpn_v2", "fasterrcnn_resnet101_fpn_v2", "fasterrcnn_resnet152_fpn_v2");

    public static Builder builder() {
        return new Builder();
    }

    /** DJL-style builder: {@code setArch} required; {@code opt*} optional with torchvision's defaults. */
    public static final class Builder {
        private String arch;
        private int numClasses = 91;
        private float frozenBnEps = 1e-5f;
        private int trainableLayers = 3;
        private int minSize = 800;
        private int maxSize = 1333;
        private int representationSize = 1024;
        private RegionProposalNetwork.RpnConfig rpn = RegionProposalNetwork.RpnConfig.defaults();
        private RoIHeads.HeadsConfig heads = RoIHeads.HeadsConfig.defaults();
        private Boolean frozenNorm;
        private List<Integer> returnedLayers = List.of(1, 2, 3, 4);
        private int fpnChannels = 256;
        private List<Integer> anchorSizes;
        private List<Integer> trainMinSizes = List.of();

        public Builder setArch(String arch) {
            this.arch = arch;
            return this;
        }

        public String arch() {
            return arch;
        }

        /** Classes including background (91 for torchvision's COCO ids, 21 for VOC). */
        public Builder optNumClasses(int n) {
            this.numClasses = n;
            return this;
        }

        /** FrozenBatchNorm2d eps of v1 backbones: 0.0 for torchvision's COCO weights, 1e-5 otherwise. */
        public Builder optFrozenBnEps(float eps) {
            this.frozenBnEps = eps;
            return this;
        }

        public Builder optTrainableLayers(int k) {
            this.trainableLayers = k;
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

        /** Width of the v1 box head's two fc layers (1024 in torchvision). */
        public Builder optRepresentationSize(int n) {
            this.representationSize = n;
            return this;
        }

        public Builder optRpnConfig(RegionProposalNetwork.RpnConfig c) {
            this.rpn = c;
            return this;
        }

        public Builder optHeadsConfig(RoIHeads.HeadsConfig c) {
            this.heads = c;
            return this;
        }

        /**
         * The backbone's normalisation; unset: FrozenBatchNorm2d for v1 (pretrained bodies), BatchNorm2d for
         * v2. Training from scratch wants {@link NormLayer#BATCH_NORM}, as torchvision's builders choose when
         * no weights are given.
         */
        public Builder optNorm(NormLayer n) {
            this.frozenNorm = n.frozen();
            if (n.frozen()) this.frozenBnEps = n.eps();
            return this;
        }

        /** Body stages fed to the FPN (torchvision's {@code returned_layers}); later stages are dropped. */
        public Builder optReturnedLayers(List<Integer> layers) {
            if (layers.isEmpty()) throw new IllegalArgumentException("returned layers must not be empty");
            for (int i = 0; i < layers.size(); i++) {
                int k = layers.get(i);
                if (k < 1 || k > 4 || (i > 0 && k <= layers.get(i - 1))) {
                    throw new IllegalArgumentException("returned layers must ascend within 1..4, got " + layers);
                }
            }
            this.returnedLayers = List.copyOf(layers);
            return this;
        }

        /** FPN width (256 in torchvision); also the RPN head's and the RoI features' channels. */
        public Builder optFpnChannels(int c) {
            if (c < 1) throw new IllegalArgumentException("FPN channels must be positive, got " + c);
            this.fpnChannels = c;
            return this;
        }

        /** One anchor size per pyramid level (returned layers + "pool"); unset: 32, 64, 128, ... */
        public Builder optAnchorSizes(List<Integer> sizes) {
            this.anchorSizes = List.copyOf(sizes);
            return this;
        }

        /** Short-side sizes drawn per training image (torchvision's {@code min_size} tuple); empty: minSize. */
        public Builder optTrainMinSizes(List<Integer> sizes) {
            this.trainMinSizes = List.copyOf(sizes);
            return this;
        }

        /** Everything that shapes the network (not the weights), to store beside trained weights. */
        public DetectorSpec spec(List<String> classNames) {
            return DetectorSpec.builder().setArch(arch).optNumClasses(numClasses).optClassNames(classNames).optMinSize(minSize)
                    .optMaxSize(maxSize).optTrainMinSizes(trainMinSizes).optNorm(resolvedNorm().frozen() ? "frozen" : "batchnorm")
                    .optReturnedLayers(returnedLayers).optFpnChannels(fpnChannels).optAnchorSizes(resolvedAnchorSizes())
                    .optRepresentationSize(representationSize).optTrainableLayers(trainableLayers).optRpn(rpn).optHeads(heads)
                    .build();
        }

        /** Takes every setting from a spec, as written by {@link #spec}. */
        public Builder fromSpec(DetectorSpec s) {
            setArch(s.arch());
            optNumClasses(s.numClasses());
            optMinSize(s.minSize());
            optMaxSize(s.maxSize());
            if (s.trainMinSizes() != null) optTrainMinSizes(s.trainMinSizes());
            if (s.norm() != null) this.frozenNorm = s.norm().equals("frozen");
            if (s.returnedLayers() != null) optReturnedLayers(s.returnedLayers());
            if (s.fpnChannels() > 0) optFpnChannels(s.fpnChannels());
            if (s.anchorSizes() != null) optAnchorSizes(s.anchorSizes());
            if (s.representationSize() > 0) optRepresentationSize(s.representationSize());
            optTrainableLayers(s.trainableLayers());
            if (s.rpn() != null) optRpnConfig(s.rpn());
            if (s.heads() != null) optHeadsConfig(s.heads());
            return this;
        }

        private boolean isV2() {
            return arch != null && arch.endsWith("_v2");
        }

        private NormLayer resolvedNorm() {
            boolean frozen = frozenNorm != null ? frozenNorm : !isV2();
            return frozen ? NormLayer.frozen(frozenBnEps) : NormLayer.BATCH_NORM;
        }

        private List<Integer> resolvedAnchorSizes() {
            if (anchorSizes != null) return anchorSizes;
            List<Integer> out = new java.util.ArrayList<>();
            for (int i = 0; i <= returnedLayers.size(); i++) out.add(32 << i);
            return out;
        }

        public FasterRCNN build(NDManager m) {
            if (arch == null) throw new IllegalStateException("setArch is required");
            java.util.regex.Matcher am = java.util.regex.Pattern.compile("fasterrcnn_(resnet\\d+)_fpn(_v2)?").matcher(arch);
            if (!am.matches() || !ResNets.isImageNet(am.group(1))) {
                throw new IllegalArgumentException("unknown detector architecture '" + arch + "'; known: " + ARCHS);
            }
            boolean v2 = am.group(2) != null;
            List<Integer> sizes = resolvedAnchorSizes();
            if (sizes.size() != returnedLayers.size() + 1) {
                throw new IllegalArgumentException("need one anchor size per pyramid level (" + (returnedLayers.size() + 1)
                        + " for returned layers " + returnedLayers + " + pool), got " + sizes);
            }
            Backbone body = ResNets.builder().setArch(am.group(1)).optNumClasses(0).optNorm(resolvedNorm()).build(m);
            Freezing.setTrainableLayers(body, trainableLayers);
            ((io.resdet.backbone.ResNet) body).truncateAfter(returnedLayers.get(returnedLayers.size() - 1));
            int c = fpnChannels;
            BackboneWithFPN backbone = new BackboneWithFPN(m, body, returnedLayers, c, v2 ? NormLayer.BATCH_NORM : null);
            AnchorGenerator anchors = AnchorGenerator.fpn(sizes.stream().mapToInt(Integer::intValue).toArray());
            RPNHead rpnHead = new RPNHead(m, c, anchors.numAnchorsPerLocation()[0], v2 ? 2 : 1);
            RegionProposalNetwork rpnNet = new RegionProposalNetwork(m, anchors, rpnHead, rpn);
            MultiScaleRoIAlign pool = new MultiScaleRoIAlign(backbone.levelNames(), 7, 2);
            Module boxHead = v2
                    ? new FastRCNNConvFCHead(m, c, 7, 256, 4, 1024, NormLayer.BATCH_NORM)
                    : new TwoMLPHead(m, c * 7 * 7, representationSize);
            FastRCNNPredictor predictor = new FastRCNNPredictor(m, v2 ? 1024 : representationSize, numClasses);
            RoIHeads roiHeads = new RoIHeads(m, pool, boxHead, predictor, heads);
            GeneralizedRCNNTransform tf = new GeneralizedRCNNTransform(minSize, maxSize, trainMinSizes);
            return new FasterRCNN(m, arch, tf, backbone, rpnNet, roiHeads, spec(null));
        }
    }
}
