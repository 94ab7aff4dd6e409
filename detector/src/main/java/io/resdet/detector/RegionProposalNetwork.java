package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.resdet.detector.ops.AnchorGenerator;
import io.resdet.detector.ops.BoxCoder;
import io.resdet.detector.ops.BalancedPositiveNegativeSampler;
import io.resdet.detector.ops.BoxOps;
import io.resdet.detector.ops.Matcher;
import io.resdet.nn.Losses;
import io.resdet.nn.Module;
import io.resdet.nn.Scopes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code RegionProposalNetwork}: anchors, head, decode, then per image: top
 * {@code preNmsTopN} per level by logit, clip, drop boxes with a side under {@code minSize}, drop scores
 * under {@code scoreThresh} (on the sigmoid), NMS per level, keep the best {@code postNmsTopN}. In training it also matches anchors to the ground
 * truth (IoU ≥ 0.7 positive, < 0.3 negative, plus each box's best anchors), samples 256 anchors per image
 * (half positive at most) and returns the objectness (BCE) and box (smooth-L1, β = 1/9) losses.
 */
public final class RegionProposalNetwork extends Module {
    private final AnchorGenerator anchorGenerator;
    private final RPNHead head;
    private final BoxCoder boxCoder = BoxCoder.rpn();
    private final RpnConfig config;
    private final Matcher proposalMatcher;
    private BalancedPositiveNegativeSampler sampler;

    /**
     * Proposal selection and (for training) anchor matching and sampling; torchvision's defaults via
     * {@link #defaults()}: IoU 0.7 / 0.3, 256 anchors per image, half of them positive. Build one by name with
     * {@link #builder()} (or {@link #toBuilder()} to change a few settings of an existing one).
     */
    public record RpnConfig(int preNmsTopNTrain, int preNmsTopNTest, int postNmsTopNTrain, int postNmsTopNTest,
                            double nmsThresh, float minSize, float scoreThresh, double fgIouThresh,
                            double bgIouThresh, int batchSizePerImage, double positiveFraction) {
        public static RpnConfig defaults() {
            return builder().build();
        }

        /** torchvision's defaults; every setting is optional. */
        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            Builder b = new Builder();
            b.preTrain = preNmsTopNTrain;
            b.preTest = preNmsTopNTest;
            b.postTrain = postNmsTopNTrain;
            b.postTest = postNmsTopNTest;
            b.nms = nmsThresh;
            b.minSize = minSize;
            b.score = scoreThresh;
            b.fg = fgIouThresh;
            b.bg = bgIouThresh;
            b.batch = batchSizePerImage;
            b.positive = positiveFraction;
            return b;
        }

        /** DJL-style builder; the defaults are torchvision's ({@code rpn_*} arguments of {@code FasterRCNN}). */
        public static final class Builder {
            private int preTrain = 2000, preTest = 1000, postTrain = 2000, postTest = 1000, batch = 256;
            private double nms = 0.7, fg = 0.7, bg = 0.3, positive = 0.5;
            private float minSize = 1e-3f, score = 0f;

            /** Proposals kept per level before NMS, in training and at inference. */
            public Builder optPreNmsTopN(int train, int test) {
                this.preTrain = train;
                this.preTest = test;
                return this;
            }

            /** Proposals kept per image after NMS, in training and at inference. */
            public Builder optPostNmsTopN(int train, int test) {
                this.postTrain = train;
                this.postTest = test;
                return this;
            }

            public Builder optNmsThresh(double t) {
                this.nms = t;
                return this;
            }

            public Builder optMinSize(float s) {
                this.minSize = s;
                return this;
            }

            public Builder optScoreThresh(float s) {
                this.score = s;
                return this;
            }

            /** Anchor matching: IoU at or above {@code fg} is positive, below {@code bg} negative. */
            public Builder optIouThresholds(double fg, double bg) {
                this.fg = fg;
                this.bg = bg;
                return this;
            }

            /** Anchors sampled per image in training, {@code positiveFraction} of them positive at most. */
            public Builder optSampling(int batchSizePerImage, double positiveFraction) {
                this.batch = batchSizePerImage;
                this.positive = positiveFraction;
                return this;
            }

            public RpnConfig build() {
                return new RpnConfig(preTrain, preTest, postTrain, postTest, nms, minSize, score, fg, bg, batch, positive);
            }
        }
    }

    public RegionProposalNetwork(NDManager m, AnchorGenerator anchors, RPNHead head, RpnConfig config) {
        super(m);
        this.anchorGenerator = anchors;
        this.head = child("head", head);
        this.config = config;
        this.proposalMatcher = new Matcher(config.fgIouThresh(), config.bgIouThresh(), true);
        this.sampler = new BalancedPositiveNegativeSampler(config.batchSizePerImage(), config.positiveFraction(), 0);
    }

    /** Replaces the anchor sampler (a trainer's seeded one, or a test's forced permutations). */
    public void setSampler(BalancedPositiveNegativeSampler.PermutationSource permutations) {
        this.sampler = new BalancedPositiveNegativeSampler(config.batchSizePerImage(), config.positiveFraction(), permutations);
    }

    /** Proposals per image and, with targets, the two RPN losses (scalars). */
    public record Output(List<NDArray> proposals, NDArray objectnessLoss, NDArray boxLoss) {}

    public RpnConfig config() {
        return config;
    }

    /** Proposals (K_i, 4) per image, best first. */
    public List<NDArray> forward(ImageList images, Map<String, NDArray> features) {
        return forward(images, features, null).proposals();
    }

    /**
     * @param targets per image in the resized images' coordinates; null at inference (no losses)
     */
    public Output forward(ImageList images, Map<String, NDArray> features, List<DetectionTarget> targets) {
        List<NDArray> feats = new ArrayList<>(features.values());
        int numImages = (int) images.tensors().getShape().get(0);
        List<NDArray> result = new ArrayList<>();
        NDArray[] losses = new NDArray[2];
        Scopes.keepAll(() -> {
            List<NDArray[]> raw = head.forward(feats);
            List<NDArray> anchors = anchorGenerator.forward(images.paddedHeight(), images.paddedWidth(), numImages,
                    new NDList(feats));
            long[] perLevel = new long[feats.size()];
            NDList objectness = new NDList(), deltas = new NDList();
            for (int l = 0; l < raw.size(); l++) {
                // float16 heads (FasterRCNN#toHalf): objectness and box deltas are decoded and ranked in float32
                NDArray cls = Half.toFloat32(raw.get(l)[0]), reg = Half.toFloat32(raw.get(l)[1]);
                long n = cls.getShape().get(0), a = cls.getShape().get(1), h = cls.getShape().get(2), w = cls.getShape().get(3);
                perLevel[l] = a * h * w;
                objectness.add(permuteAndFlatten(cls, n, a, 1, h, w));
                deltas.add(permuteAndFlatten(reg, n, a, 4, h, w));
            }
            NDArray obj = DjlWorkarounds.concat(objectness, 1).reshape(numImages, -1);
            NDArray reg = DjlWorkarounds.concat(deltas, 1).reshape(-1, 4);
            NDArray allAnchors = DjlWorkarounds.concat(new NDList(anchors), 0);
            NDArray proposals = boxCoder.decodeSingle(reg.stopGradient(), allAnchors).reshape(numImages, -1, 4);
            for (int i = 0; i < numImages; i++) {
                result.add(filter(proposals.get(i), obj.get(i).stopGradient(), perLevel, images.imageSizes().get(i)));
            }
            NDList kept = new NDList(result);
            StageTimer.lap("rpn_proposals");
            if (targets != null) {
                computeLoss(obj.reshape(-1), reg, anchors, targets, losses);
                kept.add(losses[0]);
                kept.add(losses[1]);
            }
            return kept;
        });
        return new Output(result, losses[0], losses[1]);
    }

    /** torchvision's {@code assign_targets_to_anchors} + {@code compute_loss}. */
    private void computeLoss(NDArray objectness, NDArray deltas, List<NDArray> anchors, List<DetectionTarget> targets,
                             NDArray[] out) {
        NDList labels = new NDList(), regressionTargets = new NDList();
        for (int i = 0; i < targets.size(); i++) {
            NDArray a = anchors.get(i);
            NDArray gt = targets.get(i).boxes();
            long n = a.getShape().get(0);
            if (gt.getShape().get(0) == 0) {
                labels.add(a.getManager().zeros(new Shape(n), DataType.FLOAT32, a.getDevice()));
                regressionTargets.add(boxCoder.encodeSingle(a.getManager().zeros(new Shape(n, 4), DataType.FLOAT32, a.getDevice()), a));
                continue;
            }
            NDArray matched = proposalMatcher.match(BoxOps.boxIou(gt, a));
            NDArray matchedGt = gt.get(new NDIndex("{}", matched.clip(0, Long.MAX_VALUE)));
            // 1 foreground, 0 background (below the low threshold), -1 ignored (between the thresholds)
            NDArray l = matched.gte(0).toType(DataType.FLOAT32, false)
                    .sub(matched.eq(Matcher.BETWEEN_THRESHOLDS).toType(DataType.FLOAT32, false));
            labels.add(l);
            regressionTargets.add(boxCoder.encodeSingle(matchedGt, a));
        }
        BalancedPositiveNegativeSampler.Sample sample = sampler.sample(asLong(labels));
        long[] pos = BalancedPositiveNegativeSampler.indices(sample.positive());
        long[] neg = BalancedPositiveNegativeSampler.indices(sample.negative());
        long[] all = java.util.stream.LongStream.concat(java.util.Arrays.stream(pos), java.util.Arrays.stream(neg)).toArray();
        NDManager m = objectness.getManager();
        NDArray posIdx = DjlWorkarounds.owned(m, pos, objectness.getDevice());
        NDArray allIdx = DjlWorkarounds.owned(m, all, objectness.getDevice());
        NDArray label = DjlWorkarounds.concat(labels, 0);
        NDArray target = DjlWorkarounds.concat(regressionTargets, 0);
        NDArray pred = deltas.get(new NDIndex("{}", posIdx));
        out[1] = Losses.smoothL1Sum(pred, target.get(new NDIndex("{}", posIdx)), 1.0 / 9).div(Losses.scalar(pred, all.length));
        out[0] = Losses.bceWithLogits(objectness.get(new NDIndex("{}", allIdx)), label.get(new NDIndex("{}", allIdx)));
    }

    private static List<NDArray> asLong(NDList labels) {
        List<NDArray> out = new ArrayList<>();
        for (NDArray l : labels) out.add(l.toType(DataType.INT64, false));
        return out;
    }

    static NDArray permuteAndFlatten(NDArray layer, long n, long a, long c, long h, long w) {
        return layer.reshape(n, a, c, h, w).transpose(0, 3, 4, 1, 2).reshape(n, -1, c);
    }

    private NDArray filter(NDArray boxes, NDArray logits, long[] perLevel, long[] imageSize) {
        int preNms = training ? config.preNmsTopNTrain() : config.preNmsTopNTest();
        int postNms = training ? config.postNmsTopNTrain() : config.postNmsTopNTest();
        NDList idx = new NDList(), lvl = new NDList();
        long offset = 0;
        NDManager m = boxes.getManager();
        for (int l = 0; l < perLevel.length; l++) {
            NDArray levelLogits = logits.get(new NDIndex("{}:{}", offset, offset + perLevel[l]));
            int k = (int) Math.min(preNms, perLevel[l]);
            NDArray top = levelLogits.topK(k, 0, true, true).get(1).add(offset);
            idx.add(top);
            lvl.add(m.full(new ai.djl.ndarray.types.Shape(k), l, DataType.INT64).toDevice(boxes.getDevice(), false));
            offset += perLevel[l];
        }
        NDArray topIdx = DjlWorkarounds.concat(idx, 0);
        NDArray levels = DjlWorkarounds.concat(lvl, 0);
        NDArray b = boxes.get(new NDIndex("{}", topIdx));
        NDArray s = ai.djl.nn.Activation.sigmoid(logits.get(new NDIndex("{}", topIdx)));
        b = BoxOps.clipBoxesToImage(b, imageSize[0], imageSize[1]);
        NDArray keep = BoxOps.removeSmallBoxes(b, config.minSize());
        b = b.get(new NDIndex("{}", keep));
        s = s.get(new NDIndex("{}", keep));
        levels = levels.get(new NDIndex("{}", keep));
        NDArray ok = s.gte(config.scoreThresh()); // ">=" as torchvision, for backwards compatibility
        b = b.get(new NDIndex("{}", ok));
        s = s.get(new NDIndex("{}", ok));
        levels = levels.get(new NDIndex("{}", ok));
        keep = BoxOps.batchedNms(b, s, levels, config.nmsThresh());
        if (keep.getShape().get(0) > postNms) keep = keep.get(new NDIndex(":{}", postNms));
        return b.get(new NDIndex("{}", keep));
    }
}
