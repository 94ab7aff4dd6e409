package io.resdet.detector.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.resdet.backbone.Classifier;
import io.resdet.detector.Detection;
import io.resdet.detector.Detector;
import io.resdet.image.RgbImage;

import java.util.List;

/**
 * The DJL block of a resdet zoo model: it hands the image (H, W, 3 uint8 RGB, as DJL's {@code Image.toNDArray} gives
 * it) to resdet's own detector or classifier, so preprocessing and post-processing are exactly resdet's (and
 * torchvision's), and returns plain arrays for the translator: boxes (K, 4) in pixels, scores (K), labels (K) for a
 * detector; logits (C) for a classifier. Inference only.
 */
final class ResdetBlock extends AbstractBlock {
    private final Detector detector;
    private final Classifier classifier;

    ResdetBlock(Detector detector, Classifier classifier) {
        this.detector = detector;
        this.classifier = classifier;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray hwc = inputs.singletonOrThrow();
        Shape s = hwc.getShape();
        RgbImage im = new RgbImage((int) s.get(1), (int) s.get(0), hwc.toType(DataType.UINT8, false).toByteArray());
        NDManager m = hwc.getManager();
        if (classifier != null) return new NDList(m.create(classifier.logits(List.of(im)).get(0)));
        List<Detection> dets = detector.detect(im);
        float[] boxes = new float[dets.size() * 4], scores = new float[dets.size()];
        long[] labels = new long[dets.size()];
        for (int i = 0; i < dets.size(); i++) {
            Detection d = dets.get(i);
            boxes[4 * i] = d.x1();
            boxes[4 * i + 1] = d.y1();
            boxes[4 * i + 2] = d.x2();
            boxes[4 * i + 3] = d.y2();
            scores[i] = d.score();
            labels[i] = d.label();
        }
        return new NDList(m.create(boxes, new Shape(dets.size(), 4)), m.create(scores), m.create(labels));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return classifier != null ? new Shape[] {new Shape(-1)} : new Shape[] {new Shape(-1, 4), new Shape(-1), new Shape(-1)};
    }

    void closeModel() {
        if (detector != null) detector.close();
        if (classifier != null) classifier.close();
    }
}
