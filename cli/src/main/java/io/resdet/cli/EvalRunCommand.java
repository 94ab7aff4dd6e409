package io.resdet.cli;

import io.resdet.detector.Detector;
import io.resdet.detector.FasterRCNNs;
import io.resdet.eval.coco.CocoImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code resdet eval run}: detect over a COCO dataset, write the results file, evaluate it. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a detector over a COCO dataset (progress with images/s and ETA), write RUN_DIR/results.json,",
                "then evaluate it exactly as 'eval coco'. Resumable: rerun the same command after an interruption",
                "and it continues from RUN_DIR/detections.jsonl. Detector labels are taken as COCO category ids."})
public final class EvalRunCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, paramLabel = "NAME", description = "Detector architecture, e.g. fasterrcnn_resnet50_fpn.")
    String arch;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "Checkpoint (.pth/.pt/.safetensors).")
    Path weights;

    @Option(names = "--coco-images", required = true, paramLabel = "DIR", description = "Folder holding the GT's file_name images.")
    Path images;

    @Option(names = "--coco-gt", required = true, paramLabel = "GT.json", description = "COCO instances file.")
    Path gt;

    @Option(names = "--out", defaultValue = "resdet-eval-run", paramLabel = "RUN_DIR",
            description = "Run folder: detections.jsonl (resume point), results.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--num-classes", paramLabel = "N", description = "Classes incl. background (default 91).")
    Integer numClasses;

    @Option(names = "--score-threshold", paramLabel = "S", description = "Detections kept above this score (default: torchvision's 0.05).")
    Float scoreThreshold;

    @Option(names = "--min-size", paramLabel = "N", description = "Resize short side (default 800).")
    Integer minSize;

    @Option(names = "--max-size", paramLabel = "N", description = "Resize long side cap (default 1333).")
    Integer maxSize;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N images of the GT (a quick look).")
    Integer limit;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--device", paramLabel = "DEV", description = "auto, cpu, gpu, gpu:N (default: auto).")
    String device;

    @Option(names = "--per-class", description = "Also print the per-category table.")
    boolean perClass;

    @Option(names = "--json", description = "Print the evaluation as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!FasterRCNNs.ARCHS.contains(arch) && !arch.matches("fasterrcnn_resnet\\d+_fpn(_v2)?")) {
            throw new UserError("--arch: unknown detector '" + arch + "'; known: " + FasterRCNNs.ARCHS);
        }
        if (!Files.isRegularFile(weights)) throw new UserError(weights + ": no such file");
        if (!Files.isRegularFile(gt)) throw new UserError(gt + ": no such file");
        if (!Files.isDirectory(images)) throw new UserError(images + ": not a directory");
        if (batch < 1) throw new UserError("--batch must be at least 1");
        List<CocoImages.Image> list = CocoImages.read(gt);
        if (limit != null) list = list.subList(0, Math.min(limit, list.size()));
        Files.createDirectories(out);
        Detector.Builder b = Detector.builder().setArch(arch).setWeights(weights).optDevice(device);
        if (numClasses != null) b.optNumClasses(numClasses);
        if (scoreThreshold != null) b.optScoreThreshold(scoreThreshold);
        if (minSize != null) b.optMinSize(minSize);
        if (maxSize != null) b.optMaxSize(maxSize);
        DetectionRun.Outcome outcome;
        try (Detector d = b.build()) {
            outcome = DetectionRun.run(d, list, images, out.resolve("detections.jsonl"), batch);
        }
        Path results = out.resolve("results.json");
        java.util.Set<Long> categories = new java.util.HashSet<>();
        for (long c : io.resdet.eval.coco.CocoGroundTruth.read(gt).categoryIds()) categories.add(c);
        int[] n = DetectionRun.writeCocoResults(out.resolve("detections.jsonl"), results, categories);
        System.err.println("resdet eval run: " + n[0] + " detections on " + (outcome.images() - outcome.failed()) + " images → " + results
                + (n[1] > 0 ? " (" + n[1] + " with labels that are no GT category left out)" : ""));
        EvalCocoCommand eval = new EvalCocoCommand();
        eval.gt = gt;
        eval.dt = results;
        eval.json = json;
        eval.perClass = perClass;
        int code = eval.call();
        return outcome.failed() > 0 ? 1 : code;
    }
}
