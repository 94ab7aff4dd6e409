package io.resdet.detector.train;

import io.resdet.detector.Detection;
import io.resdet.detector.data.DetectionDataset;

import java.util.List;
import java.util.Map;

/**
 * Scores a model's detections on validation images (the eval module's COCO AP or VOC mAP).
 */
public interface Validator {
    /** The metrics {@link #evaluate} returns, in order; the first picks the best checkpoint (higher is better). */
    List<String> metricNames();

    /** @param detections per dataset index in {@code indices}, in the images' own pixels */
    Map<String, Double> evaluate(DetectionDataset dataset, int[] indices, List<List<Detection>> detections);
}
