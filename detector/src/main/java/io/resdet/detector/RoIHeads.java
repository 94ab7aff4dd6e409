package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.resdet.detector.ops.BoxCoder;
import io.resdet.detector.ops.BoxOps;
import io.resdet.detector.ops.MultiScaleRoIAlign;
import io.resdet.nn.Module;
import io.resdet.nn.Scopes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code RoIHeads} (boxes only) at inference: MultiScaleRoIAlign on the proposals, the box
 * head and predictor, then per image: softmax, per-class decode, clip, drop background, keep scores
 * {@code > scoreThresh}, drop sides under 1e-2, class-wise NMS, keep the best {@code detectionsPerImg}.
 */
public final class RoIHeads extends Module {
    private final MultiScaleRoIAlign boxRoiPool;
    private final Module boxHead;
    private final FastRCNNPredictor boxPredictor;
    private final BoxCoder boxCoder = BoxCoder.roiHeads();
    private final HeadsConfig config;

    /** Post-processing and (for training) sampling settings; torchvision's defaults via {@link #defaults()}. */
    public record HeadsConfig(float scoreThresh, double nmsThresh, int detectionsPerImg, double fgIouThresh,
                              double bgIouThresh, int batchSizePerImage, double positiveFraction) {
        public static HeadsConfig defaults() {
            return new HeadsConfig(0.05f, 0.5, 100, 0.5, 0.5, 512, 0.25);
        }

        public HeadsConfig withScoreThresh(float s) {
            return new HeadsConfig(s, nmsThresh, detectionsPerImg, fgIouThresh, bgIouThresh, batchSizePerImage, positiveFraction);
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
    }

    public HeadsConfig config() {
        return config;
    }

    public FastRCNNPredictor predictor() {
        return boxPredictor;
    }

    public List<Result> forward(Map<String, NDArray> features, List<NDArray> proposals, List<long[]> imageShapes,
                                HeadsConfig cfg) {
        List<Result> out = new ArrayList<>();
        Scopes.keepAll(() -> {
            NDArray pooled = boxRoiPool.forward(features, proposals, imageShapes);
            StageTimer.lap("roi_align");
            NDArray feats = boxHead.forward(pooled);
            NDArray[] pred = boxPredictor.forwardPair(feats);
            StageTimer.lap("box_head");
            NDList kept = new NDList();
            long offset = 0;
            for (int i = 0; i < proposals.size(); i++) {
                long k = proposals.get(i).getShape().get(0);
                NDArray logits = pred[0].get(new NDIndex("{}:{}", offset, offset + k));
                NDArray deltas = pred[1].get(new NDIndex("{}:{}", offset, offset + k));
                Result r = postprocess(logits, deltas, proposals.get(i), imageShapes.get(i), cfg);
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

    private Result postprocess(NDArray logits, NDArray deltas, NDArray proposals, long[] imageShape, HeadsConfig cfg) {
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
