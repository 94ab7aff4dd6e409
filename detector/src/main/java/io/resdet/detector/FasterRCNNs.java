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

        public FasterRCNN build(NDManager m) {
            if (arch == null) throw new IllegalStateException("setArch is required");
            java.util.regex.Matcher am = java.util.regex.Pattern.compile("fasterrcnn_(resnet\\d+)_fpn(_v2)?").matcher(arch);
            if (!am.matches() || !ResNets.isImageNet(am.group(1))) {
                throw new IllegalArgumentException("unknown detector architecture '" + arch + "'; known: " + ARCHS);
            }
            boolean v2 = am.group(2) != null;
            NormLayer bodyNorm = v2 ? NormLayer.BATCH_NORM : NormLayer.frozen(frozenBnEps);
            Backbone body = ResNets.builder().setArch(am.group(1)).optNumClasses(0).optNorm(bodyNorm).build(m);
            Freezing.setTrainableLayers(body, trainableLayers);
            BackboneWithFPN backbone = new BackboneWithFPN(m, body, 256, v2 ? NormLayer.BATCH_NORM : null);
            AnchorGenerator anchors = AnchorGenerator.fpnDefault();
            RPNHead rpnHead = new RPNHead(m, 256, anchors.numAnchorsPerLocation()[0], v2 ? 2 : 1);
            RegionProposalNetwork rpnNet = new RegionProposalNetwork(m, anchors, rpnHead, rpn);
            MultiScaleRoIAlign pool = MultiScaleRoIAlign.fasterRcnn();
            Module boxHead = v2
                    ? new FastRCNNConvFCHead(m, 256, 7, 256, 4, 1024, NormLayer.BATCH_NORM)
                    : new TwoMLPHead(m, 256 * 7 * 7, representationSize);
            FastRCNNPredictor predictor = new FastRCNNPredictor(m, v2 ? 1024 : representationSize, numClasses);
            RoIHeads roiHeads = new RoIHeads(m, pool, boxHead, predictor, heads);
            return new FasterRCNN(m, arch, new GeneralizedRCNNTransform(minSize, maxSize), backbone, rpnNet, roiHeads);
        }
    }
}
