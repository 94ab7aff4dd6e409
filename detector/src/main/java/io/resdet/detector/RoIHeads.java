package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.resdet.detector.ops.BalancedPositiveNegativeSampler;
import io.resdet.detector.ops.BoxCoder;
import io.resdet.detector.ops.Matcher;
import io.resdet.detector.ops.BoxOps;
import io.resdet.detector.ops.MultiScaleRoIAlign;
import io.resdet.nn.Module;
import io.resdet.nn.Scopes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code RoIHeads} (boxes only). Inference: MultiScaleRoIAlign on the proposals, the box
 * head and predictor, then per image: softmax, per-class decode, clip, drop background, keep scores
 * {@code > scoreThresh} (torchvision's {@code box_score_thresh}, fixed at construction), drop sides under 1e-2, class-wise NMS, keep the best {@code detectionsPerImg}.
 * Training ({@link #forwardTrain}): the ground-truth boxes join the proposals, each proposal takes its
 * best ground truth's label at IoU ≥ 0.5 (background below), {@code batchSizePerImage} proposals per image
 * are sampled ({@code positiveFraction} positive at most), and the head's cross-entropy and smooth-L1
 * (β = 1/9, on the positives' own class deltas) losses come back — {@code fastrcnn_loss}.
 */
public final class RoIHeads extends Module {
    private final MultiScaleRoIAlign boxRoiPool;
    private final Module boxHead;
    private final FastRCNNPredictor boxPredictor;
    private final BoxCoder boxCoder = BoxCoder.roiHeads();
    private final HeadsConfig config;
    private final Matcher proposalMatcher;
    private BalancedPositiveNegativeSampler sampler;

    /**
     * Post-processing and (for training) sampling settings; torchvision's defaults via {@link #defaults()}.
     * {@code classFilter}: the labels kept (null: all); applied right after the score threshold, so the
     * {@code detectionsPerImg} best are chosen among the wanted classes (torchvision has no such filter).
     */
    public record HeadsConfig(float scoreThresh, double nmsThresh, int detectionsPerImg, double fgIouThresh,
                              double bgIouThresh, int batchSizePerImage, double positiveFraction, int[] classFilter) {
        public static HeadsConfig defaults() {
            return new HeadsConfig(0.05f, 0.5, 100, 0.5, 0.5, 512, 0.25, null);
        }

        /** The training sample: {@code n} RoIs per image, {@code fraction} of them positive at most. */
        public HeadsConfig withSampling(int n, double fraction) {
            return new HeadsConfig(scoreThresh, nmsThresh, detectionsPerImg, fgIouThresh, bgIouThresh, n, fraction, classFilter);
        }

        public HeadsConfig withScoreThresh(float s) {
            return new HeadsConfig(s, nmsThresh, detectionsPerImg, fgIouThresh, bgIouThresh, batchSizePerImage, positiveFraction, classFilter);
        }

        /** torchvision's {@code box_nms_thresh}. */
        public HeadsConfig withNmsThresh(double iou) {
            return new HeadsConfig(scoreThresh, iou, detectionsPerImg, fgIouThresh, bgIouThresh, batchSizePerImage, positiveFraction, classFilter);
        }

        /** torchvision's {@code box_detections_per_img}. */
        public HeadsConfig withDetectionsPerImg(int n) {
            return new HeadsConfig(scoreThresh, nmsThresh, n, fgIouThresh, bgIouThresh, batchSizePerImage, positiveFraction, classFilter);
        }

        public HeadsConfig withClassFilter(int[] labels) {
            return new HeadsConfig(scoreThresh, nmsThresh, detectionsPerImg, fgIouThresh, bgIouThresh, batchSizePerImage, positiveFraction,
                    labels == null ? null : labels.clone());
        }
    }

    /** One image's detections in the resized image's coordinates: boxes (K, 4), scores (K), labels (K, int64). */
    public record Result(NDArray boxes, NDArray scores, NDArray labels) {}

    public RoIHeads(NDManager m, MultiScaleRoIAlign pool, Module boxHead, FastRCNNPredictor predictor, HeadsConfig config) {
        super(m);
        this.boxRoiPool = pool;
        this.boxHead = child("box_head", boxHead);
        this.boxPredictor = child("box_predictor", predictor);
        this.config = config;
        this.proposalMatcher = new Matcher(config.fgIouThresh(), config.bgIouThresh(), false);
        this.sampler = new BalancedPositiveNegativeSampler(config.batchSizePerImage(), config.positiveFraction(), 0);
    }

    /** Replaces the RoI sampler (a trainer's seeded one, or a test's forced permutations). */
    public void setSampler(BalancedPositiveNegativeSampler.PermutationSource permutations) {
        this.sampler = new BalancedPositiveNegativeSampler(config.batchSizePerImage(), config.positiveFraction(), permutations);
    }

    /** The two head losses (scalars) and what they were computed on. */
    public record TrainResult(NDArray classifier, NDArray boxReg, List<NDArray> sampledProposals) {}

    /** Training forward: samples RoIs from {@code proposals} plus the ground truth and returns the losses. */
    public TrainResult forwardTrain(Map<String, NDArray> features, List<NDArray> proposals, List<long[]> imageShapes,
                               List<DetectionTarget> targets) {
        NDArray[] out = new NDArray[2];
        List<NDArray> sampled = new ArrayList<>();
        Scopes.keepAll(() -> {
            List<NDArray> withGt = new ArrayList<>();
            List<long[]> labels = new ArrayList<>();
            List<long[]> matchedIdx = new ArrayList<>();
            List<NDArray> labelArrays = new ArrayList<>();
            for (int i = 0; i < proposals.size(); i++) {
                NDArray gt = targets.get(i).boxes();
                NDArray props = DjlWorkarounds.concat(new NDList(proposals.get(i), gt), 0);
                withGt.add(props);
                long n = props.getShape().get(0);
                long[] lab = new long[(int) n];
                long[] idx = new long[(int) n];
                if (gt.getShape().get(0) > 0) {
                    long[] matched = proposalMatcher.match(BoxOps.boxIou(gt, props)).toLongArray();
                    long[] gtLabels = targets.get(i).labels().toLongArray();
                    for (int j = 0; j < n; j++) {
                        idx[j] = Math.max(matched[j], 0);
                        lab[j] = matched[j] == Matcher.BELOW_LOW_THRESHOLD ? 0
                                : matched[j] == Matcher.BETWEEN_THRESHOLDS ? -1 : gtLabels[(int) idx[j]];
                    }
                }
                labels.add(lab);
                matchedIdx.add(idx);
                labelArrays.add(props.getManager().create(lab));
            }
            BalancedPositiveNegativeSampler.Sample sample = sampler.sample(labelArrays);
            NDList sampledLabels = new NDList(), regressionTargets = new NDList();
            for (int i = 0; i < withGt.size(); i++) {
                byte[] pos = sample.positive().get(i).toByteArray();
                byte[] neg = sample.negative().get(i).toByteArray();
                int count = 0;
                for (int j = 0; j < pos.length; j++) if (pos[j] != 0 || neg[j] != 0) count++;
                long[] inds = new long[count], lab = new long[count], gtIdx = new long[count];
                for (int j = 0, k = 0; j < pos.length; j++) {
                    if (pos[j] != 0 || neg[j] != 0) {
                        inds[k] = j;
                        lab[k] = labels.get(i)[j];
                        gtIdx[k++] = matchedIdx.get(i)[j];
                    }
                }
                NDArray props = withGt.get(i);
                NDManager m = props.getManager();
                NDArray chosen = props.get(new NDIndex("{}", DjlWorkarounds.owned(m, inds, props.getDevice())));
                sampled.add(chosen);
                sampledLabels.add(DjlWorkarounds.owned(m, lab, props.getDevice()));
                NDArray gt = targets.get(i).boxes();
                if (gt.getShape().get(0) == 0) gt = m.zeros(new Shape(1, 4), DataType.FLOAT32, props.getDevice());
                NDArray matchedGt = gt.get(new NDIndex("{}", DjlWorkarounds.owned(m, gtIdx, props.getDevice())));
                regressionTargets.add(boxCoder.encodeSingle(matchedGt, chosen));
            }
            StageTimer.lap("roi_sampling");
            NDArray pooled = boxRoiPool.forward(features, sampled, imageShapes);
            StageTimer.lap("roi_align");
            NDArray[] pred = boxPredictor.forwardPair(boxHead.forward(pooled));
            StageTimer.lap("box_head");
            fastrcnnLoss(pred[0], pred[1], DjlWorkarounds.concat(sampledLabels, 0), DjlWorkarounds.concat(regressionTargets, 0), out);
            NDList kept = new NDList(out);
            kept.addAll(sampled);
            return kept;
        });
        return new TrainResult(out[0], out[1], sampled);
    }

    /** torchvision's {@code fastrcnn_loss}. */
    static void fastrcnnLoss(NDArray classLogits, NDArray boxRegression, NDArray labels, NDArray regressionTargets,
                             NDArray[] out) {
        out[0] = io.resdet.nn.Losses.crossEntropy(classLogits, labels);
        long[] lab = labels.toLongArray();
        long numClasses = classLogits.getShape().get(1);
        int positives = 0;
        for (long l : lab) if (l > 0) positives++;
        long[] rows = new long[positives], picked = new long[positives];
        for (int j = 0, k = 0; j < lab.length; j++) {
            if (lab[j] > 0) {
                rows[k] = j;
                picked[k++] = j * numClasses + lab[j];
            }
        }
        NDManager m = labels.getManager();
        NDArray pred = boxRegression.reshape(-1, 4).get(new NDIndex("{}", DjlWorkarounds.owned(m, picked, labels.getDevice())));
        NDArray target = regressionTargets.get(new NDIndex("{}", DjlWorkarounds.owned(m, rows, labels.getDevice())));
        out[1] = io.resdet.nn.Losses.smoothL1Sum(pred, target, 1.0 / 9).div(io.resdet.nn.Losses.scalar(pred, lab.length));
    }

    public HeadsConfig config() {
        return config;
    }

    public FastRCNNPredictor predictor() {
        return boxPredictor;
    }

    /** Inference with this module's {@link HeadsConfig} (score threshold, NMS, detections per image). */
    public List<Result> forward(Map<String, NDArray> features, List<NDArray> proposals, List<long[]> imageShapes) {
        List<Result> out = new ArrayList<>();
        Scopes.keepAll(() -> {
            NDArray pooled = boxRoiPool.forward(features, proposals, imageShapes);
            StageTimer.lap("roi_align", pooled);
            NDArray feats = boxHead.forward(pooled);
            NDArray[] pred = boxPredictor.forwardPair(feats);
            // float16 heads (FasterRCNN#toHalf): softmax, box decoding and NMS run in float32
            pred = new NDArray[] {Half.toFloat32(pred[0]), Half.toFloat32(pred[1])};
            StageTimer.lap("box_head", pred[1]);
            NDList kept = new NDList();
            long offset = 0;
            for (int i = 0; i < proposals.size(); i++) {
                long k = proposals.get(i).getShape().get(0);
                NDArray logits = pred[0].get(new NDIndex("{}:{}", offset, offset + k));
                NDArray deltas = pred[1].get(new NDIndex("{}:{}", offset, offset + k));
                Result r = postprocess(logits, deltas, proposals.get(i), imageShapes.get(i));
                out.add(r);
                kept.add(r.boxes());
                kept.add(r.scores());
                kept.add(r.labels());
                offset += k;
            }
            return kept;
        });
        return out;
    }

    private Result postprocess(NDArray logits, NDArray deltas, NDArray proposals, long[] imageShape) {
        HeadsConfig cfg = config;
        long k = logits.getShape().get(0);
        int numClasses = (int) logits.getShape().get(1);
        NDArray boxes = boxCoder.decodeSingle(deltas, proposals).reshape(k, numClasses, 4);
        NDArray scores = logits.softmax(-1);
        boxes = BoxOps.clipBoxesToImage(boxes, imageShape[0], imageShape[1]);
        NDManager m = logits.getManager();
        NDArray labels = m.arange(0, numClasses, 1, DataType.INT64).toDevice(logits.getDevice(), false)
                .reshape(1, numClasses).broadcast(new Shape(k, numClasses));
        // Drop the background column, then flatten proposal-major as torchvision does.
        boxes = boxes.get(new NDIndex(":, 1:, :")).reshape(-1, 4);
        scores = scores.get(new NDIndex(":, 1:")).reshape(-1);
        labels = labels.get(new NDIndex(":, 1:")).reshape(-1);
        NDArray inds = scores.gt(cfg.scoreThresh());
        if (cfg.classFilter() != null) {
            NDArray wanted = labels.eq(-1);
            for (int l : cfg.classFilter()) wanted = wanted.logicalOr(labels.eq(l));
            inds = inds.logicalAnd(wanted);
        }
        boxes = boxes.get(new NDIndex("{}", inds));
        scores = scores.get(new NDIndex("{}", inds));
        labels = labels.get(new NDIndex("{}", inds));
        NDArray keep = BoxOps.removeSmallBoxes(boxes, 1e-2f);
        boxes = boxes.get(new NDIndex("{}", keep));
        scores = scores.get(new NDIndex("{}", keep));
        labels = labels.get(new NDIndex("{}", keep));
        keep = BoxOps.batchedNms(boxes, scores, labels, cfg.nmsThresh());
        if (keep.getShape().get(0) > cfg.detectionsPerImg()) keep = keep.get(new NDIndex(":{}", cfg.detectionsPerImg()));
        return new Result(boxes.get(new NDIndex("{}", keep)), scores.get(new NDIndex("{}", keep)),
                labels.get(new NDIndex("{}", keep)));
    }
}
