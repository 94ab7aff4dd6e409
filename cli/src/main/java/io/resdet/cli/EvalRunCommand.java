package io.resdet.cli;

import io.resdet.detector.Detector;
import io.resdet.detector.FasterRCNNs;
import io.resdet.eval.coco.CocoImages;
import io.resdet.streamservice.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code resdet eval run}: detect over a COCO dataset, write the results file, evaluate it. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a detector over a COCO or PASCAL VOC dataset (progress with images/s and ETA), write the",
                "results (COCO: RUN_DIR/results.json; VOC: RUN_DIR/detections/comp4_det_<set>_<class>.txt), then evaluate",
                "them exactly as 'eval coco' / 'eval voc'. Resumable: rerun the same command after an interruption and it",
                "continues from RUN_DIR/detections.jsonl. RUN_DIR/run.json records the model (weights SHA-256, settings,",
                "batch) and the dataset; a rerun with others is refused unless --restart. The evaluation covers exactly the",
                "images of this run (all, or the first --limit N); an image that fails to decode counts, with no detections.",
                "COCO: detector labels are COCO category ids. VOC: label i is line i of --labels (default: background + the",
                "20 VOC classes).",
                "--via-kafka HOST:PORT: no local model; the images go through Kafka to a running 'resdet serve' (run it with",
                "--batch-size 1 and this run's model settings for results identical to a local --batch 1 run)."})
public final class EvalRunCommand implements Callable<Integer> {
    @Option(names = "--arch", paramLabel = "NAME", description = "Detector architecture, e.g. fasterrcnn_resnet50_fpn (required for torchvision weights; resdet-trained files carry it).")
    String arch;

    @Option(names = "--weights", paramLabel = "FILE", description = "Checkpoint (.pth/.pt/.safetensors) (required without --via-kafka).")
    Path weights;

    @Option(names = "--via-kafka", paramLabel = "HOST:PORT", description = "Detect through Kafka: send the images to the frames topic, "
            + "collect a running 'resdet serve''s results.")
    String viaKafka;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "Kafka client property with --via-kafka (repeatable).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--frames-topic", defaultValue = Topics.FRAMES, paramLabel = "T", description = "With --via-kafka (default: ${DEFAULT-VALUE}).")
    String framesTopic;

    @Option(names = "--results-topic", defaultValue = Topics.RESULTS, paramLabel = "T", description = "With --via-kafka (default: ${DEFAULT-VALUE}).")
    String resultsTopic;

    @Option(names = "--dlq-topic", defaultValue = Topics.DEAD_LETTERS, paramLabel = "T", description = "With --via-kafka (default: ${DEFAULT-VALUE}).")
    String dlqTopic;

    @Option(names = "--kafka-timeout", defaultValue = "600", paramLabel = "S",
            description = "With --via-kafka: give up after S seconds without a new result (default: ${DEFAULT-VALUE}).")
    double kafkaTimeout;

    @Option(names = "--coco-images", paramLabel = "DIR", description = "Folder holding the GT's file_name images.")
    Path images;

    @Option(names = "--coco-gt", paramLabel = "GT.json", description = "COCO instances file.")
    Path gt;

    @Option(names = "--voc-root", paramLabel = "ROOT", description = "VOCdevkit/VOC2007-style folder (Annotations, ImageSets/Main, JPEGImages).")
    Path vocRoot;

    @Option(names = "--voc-set", defaultValue = "test", paramLabel = "SET", description = "VOC image set (default: ${DEFAULT-VALUE}).")
    String vocSet;

    @Option(names = "--labels", paramLabel = "coco|voc|FILE", description = "Label names (VOC runs: the class of each label; default voc).")
    String labels;

    @Option(names = "--classes", split = ",", paramLabel = "C", description = "VOC classes to evaluate (default: every labelled class).")
    List<String> classes;

    @Option(names = "--metric", defaultValue = "11point", paramLabel = "11point|area", description = "VOC AP metric (default: ${DEFAULT-VALUE}).")
    String metric;

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

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N images of the GT (a quick look), "
            + "evaluated on their own. A later run with a larger N (or none) reuses their detections.")
    Integer limit;

    @Option(names = "--restart", description = "Discard RUN_DIR's detections and results and start afresh: needed when "
            + "RUN_DIR holds another model's or dataset's run (run.json differs) or an older resdet's run (no run.json).")
    boolean restart;

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
        if (viaKafka == null) {
            if (weights == null) throw new UserError("--weights: required (or --via-kafka HOST:PORT to use a running service)");
            if (arch == null && io.resdet.detector.ModelFiles.readSpecQuietly(weights).isEmpty()) {
                throw new UserError("--arch: required for " + weights + " (only resdet-trained files carry their network)");
            }
            if (arch != null && !FasterRCNNs.ARCHS.contains(arch) && !arch.matches("fasterrcnn_resnet\\d+_fpn(_v2)?")) {
                throw new UserError("--arch: unknown detector '" + arch + "'; known: " + FasterRCNNs.ARCHS);
            }
            if (!Files.isRegularFile(weights)) throw new UserError(weights + ": no such file");
        } else {
            if (viaKafka.isBlank()) throw new UserError("--via-kafka: expected HOST:PORT, got ''");
            if (kafkaTimeout <= 0) throw new UserError("--kafka-timeout: must be > 0, got " + kafkaTimeout);
            if (arch != null || weights != null || minSize != null || maxSize != null || scoreThreshold != null || numClasses != null
                    || device != null || batch != 1) {
                System.err.println("resdet eval run: --via-kafka: the service's model detects; --arch, --weights, --num-classes, --min-size, "
                        + "--max-size, --score-threshold, --device and --batch are not used");
            }
        }
        if (batch < 1) throw new UserError("--batch must be at least 1");
        if (limit != null && limit < 1) throw new UserError("--limit must be at least 1, got " + limit);
        boolean voc = vocRoot != null;
        if (voc == (gt != null || images != null)) throw new UserError("give either --coco-gt and --coco-images, or --voc-root");
        List<DetectionRun.Item> all = voc ? vocItems() : cocoItems();
        List<DetectionRun.Item> list = limit == null ? all : all.subList(0, Math.min(limit, all.size()));
        io.resdet.detector.LabelMap names = labels != null ? io.resdet.detector.LabelMap.parse(labels)
                : voc ? io.resdet.detector.LabelMap.voc() : null;
        RunFile.checkOrRestart(out, EvalRunSettings.of(this, names), restart, "--restart",
                List.of(out.resolve("detections.jsonl"), out.resolve("results.json"), out.resolve("detections")));
        DetectionRun.Outcome outcome;
        if (viaKafka != null) {
            outcome = KafkaDetectionRun.run(viaKafka, kafkaProperties == null ? Map.of() : kafkaProperties,
                    new KafkaDetectionRun.Topics3(framesTopic, resultsTopic, dlqTopic), KafkaDetectionRun.streamId(out), list,
                    out.resolve("detections.jsonl"), Duration.ofMillis((long) (kafkaTimeout * 1000)));
        } else {
            Detector.Builder b = Detector.builder().setArch(arch).setWeights(weights).optDevice(device);
            if (names != null) b.optLabels(names);
            if (numClasses != null) b.optNumClasses(numClasses);
            if (scoreThreshold != null) b.optScoreThreshold(scoreThreshold);
            if (minSize != null) b.optMinSize(minSize);
            if (maxSize != null) b.optMaxSize(maxSize);
            try (Detector d = b.build()) {
                outcome = DetectionRun.run(d, list, out.resolve("detections.jsonl"), batch);
            }
        }
        // The evaluation covers this run's images and no others: the rest of the GT was never looked at, and
        // detections.jsonl may hold images of an earlier, longer run.
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (DetectionRun.Item im : list) ids.add(im.id());
        System.err.println("resdet eval run: the evaluation covers " + list.size() + " of " + all.size() + " images"
                + (list.size() < all.size() ? " (--limit " + limit + ")" : ""));
        if (outcome.failed() > 0) {
            System.err.println("resdet eval run: " + outcome.failed() + " images failed (unreadable, or the detector failed on them); they count in the evaluation, "
                    + "as images with no detections");
        }
        if (voc) return evaluateVoc(names, outcome, ids);
        Path results = out.resolve("results.json");
        java.util.Set<Long> categories = new java.util.HashSet<>();
        for (long c : io.resdet.eval.coco.CocoGroundTruth.read(gt).categoryIds()) categories.add(c);
        int[] n = DetectionRun.writeCocoResults(out.resolve("detections.jsonl"), results, categories, ids);
        System.err.println("resdet eval run: " + n[0] + " detections on " + (outcome.images() - outcome.failed()) + " images → " + results
                + (n[1] > 0 ? " (" + n[1] + " with labels that are no GT category left out)" : ""));
        EvalCocoCommand eval = new EvalCocoCommand();
        eval.gt = gt;
        eval.dt = results;
        eval.json = json;
        eval.perClass = perClass;
        eval.imageIds = ids.stream().mapToLong(Long::parseLong).toArray();
        int code = eval.call();
        return outcome.failed() > 0 ? 1 : code;
    }

    private List<DetectionRun.Item> cocoItems() {
        if (gt == null || images == null) throw new UserError("COCO runs need both --coco-gt and --coco-images");
        if (!Files.isRegularFile(gt)) throw new UserError(gt + ": no such file");
        if (!Files.isDirectory(images)) throw new UserError(images + ": not a directory");
        return DetectionRun.cocoItems(CocoImages.read(gt), images);
    }

    private List<DetectionRun.Item> vocItems() throws java.io.IOException {
        Path list = vocRoot.resolve("ImageSets").resolve("Main").resolve(vocSet + ".txt");
        if (!Files.isRegularFile(list)) throw new UserError(list + ": no such image set");
        List<DetectionRun.Item> items = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            String id = line.strip();
            if (id.isEmpty()) continue;
            Path jpg = vocRoot.resolve("JPEGImages").resolve(id + ".jpg");
            Path png = vocRoot.resolve("JPEGImages").resolve(id + ".png");
            items.add(new DetectionRun.Item(id, Files.exists(jpg) || !Files.exists(png) ? jpg : png));
        }
        return items;
    }

    private int evaluateVoc(io.resdet.detector.LabelMap names, DetectionRun.Outcome outcome, java.util.Set<String> ids) throws Exception {
        Path dir = out.resolve("detections");
        int n = DetectionRun.writeVocDetections(out.resolve("detections.jsonl"), dir, vocSet, names.names(), ids);
        System.err.println("resdet eval run: " + n + " detections on " + (outcome.images() - outcome.failed()) + " images → " + dir);
        EvalVocCommand eval = new EvalVocCommand();
        eval.root = vocRoot;
        eval.set = vocSet;
        eval.detections = dir;
        eval.classes = classes != null ? classes : names.names().subList(1, names.size());
        eval.metric = new EvalVocCommand.MetricConverter().convert(metric);
        eval.json = json;
        eval.imageIds = ids;
        int code = eval.call();
        return outcome.failed() > 0 ? 1 : code;
    }
}
