package io.resdet.cli;

import io.resdet.detector.Detector;
import io.resdet.detector.FasterRCNNs;
import io.resdet.detector.LabelMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code resdet detect}: Faster R-CNN on images, folders and videos with torchvision weights. */
@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Detect objects with Faster R-CNN + FPN: torchvision weights (--arch + --weights), a model trained by"
                + " `resdet train` (--weights alone), or with neither the bundled demo model (shapes: circle, rectangle, triangle).",
                "INPUT: image files (JPEG, PNG, BMP, GIF), folders (searched recursively for images, sorted by path),"
                        + " or video files (mp4, avi, mov, mkv, webm, ...: every frame, or every N-th with --every).",
                "Prints one JSON object per image or frame, detections best first:",
                "  {\"image\":PATH, \"width\":W, \"height\":H, \"detections\":[{\"box\":[x1,y1,x2,y2], \"label\":ID, \"name\":NAME, \"score\":S}]}",
                "  video frames add \"frame\":I (0-based index in the video) and \"image\" is the video's path.",
                "Files that cannot be read are reported on stderr, one line each; the others are still processed"
                        + " and the exit code is 1 at the end."})
public final class DetectCommand implements Callable<Integer> {
    @Option(names = "--arch", paramLabel = "NAME",
            description = "fasterrcnn_resnet50_fpn, fasterrcnn_resnet50_fpn_v2, or fasterrcnn_resnet{18,34,101,152}_fpn[_v2]"
                    + " (not needed for resdet-trained files, which carry their network).")
    String arch;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "torch.save(state_dict) file or .safetensors. torchvision's COCO v1 download (*_coco-<hash>.pth) is recognised by name."
                    + " Default: the bundled demo model.")
    Path weights;

    @Option(names = "--num-classes", paramLabel = "N", description = "Classes including background (default: from --labels, else 91 = COCO).")
    Integer numClasses;

    @Option(names = "--labels", paramLabel = "coco|voc|FILE",
            description = "Class names: coco (torchvision's 91 ids), voc (21), or a file with one name per line, line 0 = background"
                    + " (default: voc for 21 classes, else coco).")
    String labels;

    @Option(names = "--score-threshold", paramLabel = "S", description = "Drop detections scoring below S (default: torchvision's 0.05).")
    Float scoreThreshold;

    @Option(names = "--min-size", paramLabel = "N", description = "Resize so the short side is N pixels (default: 800).")
    Integer minSize;

    @Option(names = "--max-size", paramLabel = "N", description = "... unless the long side would exceed N (default: 1333).")
    Integer maxSize;

    @Option(names = "--device", paramLabel = "DEV", description = "auto (GPU if present), cpu, gpu, gpu:N (default: auto, or $RESDET_DEVICE).")
    String device;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
            description = "Images or frames per forward pass (default: ${DEFAULT-VALUE}). Batched images are zero-padded to a common"
                    + " size, which shifts results slightly near the padding, exactly as in torchvision.")
    int batch;

    @Option(names = "--every", defaultValue = "1", paramLabel = "N", description = "Videos: detect on every N-th frame only (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write annotated copies here: images under their own names (JPEG stays JPEG, others become PNG;"
                    + " files found in a folder keep their path below it), videos as <name>.annotated.mp4"
                    + " (only the processed frames, at the rate that keeps the original duration).")
    Path outDir;

    @Option(names = "--coco-results", paramLabel = "FILE",
            description = "Also write a COCO results file [{image_id, category_id, bbox:[x,y,w,h], score}] for eval coco."
                    + " image_id: the file name's stem when it is an integer (COCO's 000000397133.jpg), otherwise the image's"
                    + " 1-based position in this run (every image and every processed video frame, in input order).")
    Path cocoResults;

    @Option(names = "--non-strict", description = "Load checkpoints with missing/unexpected keys (reported on stderr) instead of failing.")
    boolean nonStrict;

    @Mixin TrackOptions trackOptions = new TrackOptions();

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Image files, folders of images, or video files.")
    List<Path> inputs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (batch < 1) throw new UserError("--batch must be at least 1");
        if (every < 1) throw new UserError("--every must be at least 1");
        if (scoreThreshold != null && !(scoreThreshold >= 0 && scoreThreshold <= 1)) throw new UserError("--score-threshold must be in [0, 1]");
        if (arch != null && !FasterRCNNs.ARCHS.contains(arch)) throw new UserError("unknown --arch '" + arch + "'; known: " + String.join(", ", FasterRCNNs.ARCHS));
        if (arch != null && weights == null) throw new UserError("--arch needs --weights (without both, the bundled model is used)");
        if (weights != null && !Files.isRegularFile(weights)) throw new UserError(weights + ": no such file");
        List<DetectInputs.Input> items = DetectInputs.expand(inputs);
        if (items.isEmpty()) throw new UserError("no images in " + inputs);
        if (outDir != null) {
            try {
                Files.createDirectories(outDir);
            } catch (IOException e) {
                throw new UserError(outDir + ": cannot create output folder (" + e.getMessage() + ")");
            }
        }
        try (Detector d = detector()) {
            if (!d.loadReport().clean()) System.err.println("resdet detect: " + (weights == null ? "bundled model" : weights) + ": " + d.loadReport().describe());
            DetectRun run = new DetectRun(d, batch, every, outDir, cocoResults).tracking(DetectTracking.of(trackOptions, items));
            return run.run(items);
        }
    }

    private Detector detector() throws IOException {
        Detector.Builder b = Detector.builder().setArch(arch).setWeights(weights).optStrict(!nonStrict).optDevice(device);
        // Detector.Builder reads a resdet file's spec (network + class names) when no --arch is given.
        if (labels != null) {
            try {
                b.optLabels(LabelMap.parse(labels));
            } catch (IOException e) {
                throw new UserError(e.getMessage());
            }
        }
        if (numClasses != null) b.optNumClasses(numClasses);
        if (scoreThreshold != null) b.optScoreThreshold(scoreThreshold);
        if (minSize != null) b.optMinSize(minSize);
        if (maxSize != null) b.optMaxSize(maxSize);
        try {
            return b.build();
        } catch (IllegalArgumentException | io.resdet.io.CheckpointException e) {
            throw new UserError(e.getMessage());
        }
    }
}
