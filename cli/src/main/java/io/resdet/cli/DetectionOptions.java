package io.resdet.cli;

import picocli.CommandLine.Option;

/**
 * Detection controls shared by detect, eval run, serve and demo: {@code --score-threshold}, {@code --min-size},
 * {@code --max-size}, {@code --batch}. {@code --batch} is the one spelling for "images per forward pass"; serve's
 * config key stays {@code batch-size}, and {@code --batch-size} is kept as a hidden alias.
 */
final class DetectionOptions {
    @Option(names = "--score-threshold", paramLabel = "S",
            description = "Keep detections scoring above S, 0 to 1 (default: torchvision's 0.05; the bundled demo model in demo: 0.5).")
    Float scoreThreshold;

    @Option(names = "--nms-iou", paramLabel = "IOU",
            description = "Class-wise NMS overlap above which the lower-scoring box is dropped, 0 to 1 (default: torchvision's 0.5).")
    Double nmsIou;

    @Option(names = "--max-detections", paramLabel = "N", description = "Keep at most the N best detections per image (default: torchvision's 100).")
    Integer maxDetections;

    @Option(names = "--classes", paramLabel = "C", split = ",",
            description = "Only these classes, by name or label id (e.g. person,car or 1,3); filtered before the best --max-detections"
                    + " are chosen (default: all).")
    java.util.List<String> classes;

    @Option(names = "--min-size", paramLabel = "PX", description = "Resize so the short side is PX pixels (default: 800, or the weights' own).")
    Integer minSize;

    @Option(names = "--max-size", paramLabel = "PX", description = "... unless the long side would exceed PX (default: 1333, or the weights' own).")
    Integer maxSize;

    @Option(names = "--batch", paramLabel = "N",
            description = "Images or frames per forward pass (default: 1; serve and demo: 4, the service's batch-size)."
                    + " Batched images are zero-padded to a common size, which shifts results slightly near the padding, as in torchvision.")
    Integer batch;

    @Option(names = "--half",
            description = "Float16 weights and activations on a GPU (boxes, NMS and RoIAlign sums stay float32); refused on the CPU (default: float32).")
    boolean half;

    @Option(names = "--batch-size", paramLabel = "N", hidden = true, description = "Old spelling of --batch.")
    void batchSize(int n) {
        this.batch = n;
    }

    int batch(int dflt) {
        return batch == null ? dflt : batch;
    }

    void check() {
        if (scoreThreshold != null && !(scoreThreshold >= 0 && scoreThreshold <= 1)) {
            throw new UserError("--score-threshold must be in [0, 1], got " + scoreThreshold);
        }
        if (minSize != null && minSize < 1) throw new UserError("--min-size must be at least 1, got " + minSize);
        if (maxSize != null && maxSize < 1) throw new UserError("--max-size must be at least 1, got " + maxSize);
        if (batch != null && batch < 1) throw new UserError("--batch must be at least 1");
        if (nmsIou != null && !(nmsIou >= 0 && nmsIou <= 1)) throw new UserError("--nms-iou must be in [0, 1], got " + nmsIou);
        if (maxDetections != null && maxDetections < 1) throw new UserError("--max-detections must be at least 1, got " + maxDetections);
        if (classes != null && classes.stream().anyMatch(String::isBlank)) throw new UserError("--classes: an empty class name in " + classes);
    }

    boolean anyGiven() {
        return scoreThreshold != null || minSize != null || maxSize != null || batch != null || nmsIou != null
                || maxDetections != null || classes != null;
    }
}
