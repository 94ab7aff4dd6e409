package io.resdet.eval.voc;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A VOC image set: image ids in set order and the objects of every image (possibly none).
 *
 * @param classes the evaluation classes when the source names them (VOC JSON), else empty
 */
public record VocGroundTruth(List<String> imageIds, Map<String, List<VocObject>> objects, List<String> classes) {
    /** The 20 PASCAL VOC classes in the devkit's order. */
    public static final List<String> VOC_CLASSES = List.of(
            "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
            "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor");

    /**
     * The same set cut to {@code ids} (set order kept): the images a partial run covered. Their GT objects still
     * count, detected or not; detections of other images are then an error, as for any image outside a set.
     */
    public VocGroundTruth restrictedTo(Collection<String> ids) {
        java.util.Set<String> keep = new java.util.HashSet<>(ids);
        return new VocGroundTruth(imageIds.stream().filter(keep::contains).toList(), objects, classes);
    }
}
