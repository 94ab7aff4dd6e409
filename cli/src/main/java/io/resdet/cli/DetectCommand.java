package io.resdet.cli;

import io.resdet.detector.Detector;
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
        description = {"Detect objects in images, folders and videos with Faster R-CNN + FPN.",
                "The model: torchvision weights (--arch + --weights), a model trained by `resdet train` (--weights alone),"
                        + " or with neither the bundled demo model (shapes: circle, rectangle, triangle).",
                "INPUT: image files (JPEG, PNG, BMP, GIF), folders (searched recursively for images, sorted by path),"
                        + " or video files (mp4, avi, mov, mkv, webm, ...: every frame, or every N-th with --every);"
                        + " or one live source: rtsp://, rtsps://, http(s):// (mp4, MJPEG, HLS, ...), camera:N or /dev/videoN"
                        + " (reconnects when the stream drops; stops at --max-frames, --duration or Ctrl-C).",
                "Prints one JSON object per image or frame, detections best first:",
                "  {\"image\":PATH, \"width\":W, \"height\":H, \"detections\":[{\"box\":[x1,y1,x2,y2], \"label\":ID, \"name\":NAME, \"score\":S}]}",
                "  video frames add \"frame\":I (0-based index in the video) and \"image\" is the video's path;",
                "  live frames also add \"pts_ms\":T (stream time since the first frame, never decreasing).",
                "  with --track each detection adds \"track_id\"; with --zones the frame adds \"zones\":{NAME:TRACKS_IN_IT}"
                        + " and, when any, \"events\":[{\"event\":\"enter\"|\"exit\"|\"cross\", \"zone\"|\"line\":NAME, \"track_id\", ...}].",
                "Files that cannot be read are reported on stderr, one line each; the others are still processed"
                        + " and the exit code is 1 at the end."},
        footer = {"", "Example:",
                "  resdet detect --arch fasterrcnn_resnet50_fpn --weights fasterrcnn_resnet50_fpn_coco-258fb6c6.pth --out annotated street.jpg",
                "  resdet detect --weights runs/shapes/model.safetensors --score-threshold 0.5 --batch 4 photos/",
                "  resdet detect --track --zones zones.json --out annotated entrance.mp4 > entrance.jsonl"})
public final class DetectCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin ModelOptions.Strictness strictness;
    @Mixin DetectionOptions detection;
    @Mixin ComputeOptions compute;

    @Option(names = "--every", defaultValue = "1", paramLabel = "N", description = "Videos: detect on every N-th frame only (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write annotated copies here: images under their own names (JPEG stays JPEG, others become PNG;"
                    + " files found in a folder keep their path below it), videos as <name>.annotated.mp4"
                    + " (only the processed frames, at the rate that keeps the original duration), a live source as <name>-000.mp4,"
                    + " <name>-001.mp4, ... (see --segment).")
    Path outDir;

    @Option(names = "--coco-results", paramLabel = "FILE",
            description = "Also write a COCO results file [{image_id, category_id, bbox:[x,y,w,h], score}] for eval coco."
                    + " image_id: the file name's stem when it is an integer (COCO's 000000397133.jpg), otherwise the image's"
                    + " 1-based position in this run (every image and every processed video frame, in input order; default: none).")
    Path cocoResults;

    @Mixin LiveOptions live;
    @Mixin LiveOptions.DetectOptions liveDetect;

    @Mixin TrackOptions trackOptions = new TrackOptions();

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Image files, folders of images, video files, or one live source.")
    List<String> inputs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (every < 1) throw new UserError("--every must be at least 1");
        compute.apply();
        Detector.Builder b = model.detectorBuilder(detection, compute).optStrict(!strictness.nonStrict);
        DetectLiveRunner liveRun = DetectLiveRunner.of(inputs, live, liveDetect, every, outDir, cocoResults);
        List<DetectInputs.Input> items = liveRun != null ? List.of() : DetectInputs.expand(inputs.stream().map(Path::of).toList());
        if (liveRun == null && items.isEmpty()) throw new UserError("no images in " + inputs);
        if (liveRun != null && trackOptions.motResults != null) throw new UserError("--mot-results: MOT files are written for video files, not live sources");
        DetectTracking tracking = DetectTracking.of(trackOptions, items);
        if (liveRun != null && tracking != null) liveRun.tracking(tracking);
        if (outDir != null) {
            try {
                Files.createDirectories(outDir);
            } catch (IOException e) {
                throw new UserError(outDir + ": cannot create output folder (" + e.getMessage() + ")");
            }
        }
        try (Detector d = build(b)) {
            if (!d.loadReport().clean()) {
                System.err.println("resdet detect: " + (model.weights == null ? "bundled model" : model.weights) + ": " + d.loadReport().describe());
            }
            if (liveRun != null) return liveRun.run(d);
            return new DetectRunner(d, detection.batch(1), every, outDir, cocoResults).tracking(tracking).run(items);
        }
    }

    /** Builds the detector; what the weights or settings get wrong is one line. */
    static Detector build(Detector.Builder b) throws IOException {
        try {
            return b.build();
        } catch (IllegalArgumentException | io.resdet.io.CheckpointException e) {
            throw new UserError(e.getMessage());
        }
    }
}
