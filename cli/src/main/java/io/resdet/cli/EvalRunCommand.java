package io.resdet.cli;

import io.resdet.detector.Detector;
import io.resdet.detector.FasterRCNNs;
import io.resdet.eval.coco.CocoImages;
import io.resdet.streamservice.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        description = {"Run a detector over a COCO or PASCAL VOC dataset, write the results and evaluate them.",
                "Progress shows images/s and an ETA. Results: COCO: RUN_DIR/results.json; VOC:",
                "RUN_DIR/detections/comp4_det_<set>_<class>.txt; evaluated exactly as 'eval coco' / 'eval voc'. Resumable:",
                "rerun the same command after an interruption and it continues from RUN_DIR/detections.jsonl. RUN_DIR/run.json",
                "records the model (weights SHA-256, settings, batch) and the dataset; a rerun with others is refused unless",
                "--restart. The evaluation covers exactly the images of this run (all, or the first --limit N); an image that",
                "fails to decode counts, with no detections.",
                "DATA: --data coco:GT.json:IMAGES, voc:ROOT:SET or a `resdet data synth` folder (its val split), as for",
                "`resdet train`; or the older --coco-gt + --coco-images, or --voc-root (+ --voc-set).",
                "COCO: detector labels are COCO category ids. VOC: label i is line i of --labels (default: background + the",
                "20 VOC classes).",
                "--via-kafka: no local model; the images go through Kafka (--bootstrap, or --via-kafka HOST:PORT) to a running",
                "'resdet serve' (run it with --batch 1 and this run's model settings for results identical to a local --batch 1 run)."},
        footer = {"", "Example:",
                "  resdet eval run --arch fasterrcnn_resnet50_fpn --weights fasterrcnn_resnet50_fpn_coco-258fb6c6.pth \\",
                "      --data coco:annotations/instances_val2017.json:val2017 --out runs/val2017 --limit 500",
                "  resdet eval run --weights runs/voc/model.safetensors --data voc:VOCdevkit/VOC2007:test --out runs/voc07"})
public final class EvalRunCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin DetectionOptions detection;
    @Mixin ComputeOptions compute;

    @Option(names = "--data", paramLabel = "SPEC",
            description = "The dataset, as for train: coco:GT.json:IMAGES, voc:ROOT:SET or a `resdet data synth` folder (default: the --coco-*/--voc-* flags).")
    String data;

    @Option(names = "--via-kafka", paramLabel = "HOST:PORT", arity = "0..1", fallbackValue = "",
            description = "Detect through Kafka: send the images to the frames topic and collect a running 'resdet serve''s results;"
                    + " the broker is HOST:PORT, else --bootstrap (default: local detection).")
    String viaKafka;

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions.Frames frames;
    @Mixin TopicOptions.Results results;
    @Mixin TopicOptions.DeadLetters deadLetters;

    @Option(names = "--kafka-timeout", defaultValue = "600", paramLabel = "S",
            description = "With --via-kafka: give up after S seconds without a new result (default: ${DEFAULT-VALUE}).")
    double kafkaTimeout;

    @Option(names = "--coco-images", paramLabel = "DIR", description = "Folder holding the GT's file_name images (default: from --data).")
    Path images;

    @Option(names = "--coco-gt", paramLabel = "GT.json", description = "COCO instances file (default: from --data).")
    Path gt;

    @Option(names = "--voc-root", paramLabel = "ROOT", description = "VOCdevkit/VOC2007-style folder (Annotations, ImageSets/Main, JPEGImages; default: from --data).")
    Path vocRoot;

    @Option(names = "--voc-set", paramLabel = "SET", description = "VOC image set (default: test, or from --data).")
    String vocSet;


    @Option(names = "--metric", defaultValue = "11point", paramLabel = "11point|area", description = "VOC AP metric (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--out", defaultValue = "resdet-eval-run", paramLabel = "RUN_DIR",
            description = "Run folder: detections.jsonl (resume point), results.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N images of the GT (a quick look), "
            + "evaluated on their own. A later run with a larger N (or none) reuses their detections (default: all).")
    Integer limit;

    @Option(names = "--restart", description = "Discard RUN_DIR's detections and results and start afresh: needed when "
            + "RUN_DIR holds another model's or dataset's run (run.json differs) or an older resdet's run (no run.json; default: resume).")
    boolean restart;

    @Option(names = "--per-class", description = "Also print the per-category table (default: off).")
    boolean perClass;

    @Option(names = "--json", description = "Print the evaluation as JSON (default: a table).")
    boolean json;

    /** The broker of a --via-kafka run, or null for a local one. */
    String bootstrap() {
        return viaKafka == null ? null : viaKafka.isEmpty() ? kafka.bootstrap() : viaKafka;
    }

    int batch() {
        return detection.batch(1);
    }

    /** --data, when given, fills the --coco-* / --voc-* settings (which must then be left out). */
    private void resolveData() {
        if (data != null) {
            if (gt != null || images != null || vocRoot != null || vocSet != null) {
                throw new UserError("--data: give either --data or --coco-gt/--coco-images/--voc-root/--voc-set, not both");
            }
            io.resdet.detector.data.DetectionDatasets.Source src;
            try {
                src = io.resdet.detector.data.DetectionDatasets.parse(data, false);
            } catch (java.io.IOException e) {
                throw new UserError("--data: " + e.getMessage());
            }
            gt = src.cocoGt();
            images = src.cocoImages();
            vocRoot = src.vocRoot();
            vocSet = src.vocSet();
        }
        if (vocSet == null) vocSet = "test";
    }

    @Override
    public Integer call() throws Exception {
        resolveData();
        detection.check();
        compute.check();
        String bootstrap = bootstrap();
        if (bootstrap == null) {
            model.resolve("detection");
            model.requireWeights(" (or --via-kafka HOST:PORT to use a running service)");
            model.checkDetectorArch();
            if (model.arch == null && io.resdet.detector.ModelFiles.readSpecQuietly(model.weights).isEmpty()) {
                throw new UserError("--arch: required for " + model.weights + " (only resdet-trained files carry their network)");
            }
        } else {
            if (bootstrap.isBlank()) throw new UserError("--via-kafka: expected HOST:PORT, got ''");
            if (kafkaTimeout <= 0) throw new UserError("--kafka-timeout: must be > 0, got " + kafkaTimeout);
            if (model.arch != null || model.weights != null || model.numClasses != null || detection.minSize != null
                    || detection.maxSize != null || detection.scoreThreshold != null || compute.device != null || batch() != 1) {
                System.err.println("resdet eval run: --via-kafka: the service's model detects; --arch, --weights, --num-classes, --min-size, "
                        + "--max-size, --score-threshold, --device and --batch are not used");
            }
        }
        if (limit != null && limit < 1) throw new UserError("--limit must be at least 1, got " + limit);
        boolean voc = vocRoot != null;
        if (detection.classes != null && !voc) {
            throw new UserError("--classes: a COCO evaluation covers every category, so filtered-out ones would score 0; "
                    + "run without --classes, or evaluate a subset with eval coco");
        }
        if (voc == (gt != null || images != null)) throw new UserError("give either --coco-gt and --coco-images, or --voc-root");
        List<EvalRunJournal.Item> all = voc ? vocItems() : cocoItems();
        List<EvalRunJournal.Item> list = limit == null ? all : all.subList(0, Math.min(limit, all.size()));
        io.resdet.detector.LabelMap names = model.labelMap() != null ? model.labelMap() : voc ? io.resdet.detector.LabelMap.voc() : null;
        RunFile.checkOrRestart(out, EvalRunSettings.of(this, names), restart, "--restart",
                List.of(out.resolve("detections.jsonl"), out.resolve("results.json"), out.resolve("detections")));
        EvalRunJournal.Outcome outcome;
        if (bootstrap != null) {
            outcome = EvalRunKafkaPass.run(bootstrap, kafka.properties(),
                    new EvalRunKafkaPass.Topics3(frames.get(), results.get(), deadLetters.get()), EvalRunKafkaPass.streamId(out), list,
                    out.resolve("detections.jsonl"), Duration.ofMillis((long) (kafkaTimeout * 1000)));
        } else {
            compute.apply();
            Detector.Builder b = model.detectorBuilder(detection, compute);
            if (names != null) b.optLabels(names);
            try (Detector d = DetectCommand.build(b)) {
                outcome = EvalRunLocalPass.run(d, list, out.resolve("detections.jsonl"), batch());
            }
        }
        // The evaluation covers this run's images and no others: the rest of the GT was never looked at, and
        // detections.jsonl may hold images of an earlier, longer run.
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (EvalRunJournal.Item im : list) ids.add(im.id());
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
        int[] n = EvalRunJournal.writeCocoResults(out.resolve("detections.jsonl"), results, categories, ids);
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

    private List<EvalRunJournal.Item> cocoItems() {
        if (gt == null || images == null) throw new UserError("COCO runs need both --coco-gt and --coco-images");
        if (!Files.isRegularFile(gt)) throw new UserError(gt + ": no such file");
        if (!Files.isDirectory(images)) throw new UserError(images + ": not a directory");
        return EvalRunJournal.cocoItems(CocoImages.read(gt), images);
    }

    private List<EvalRunJournal.Item> vocItems() throws java.io.IOException {
        Path list = vocRoot.resolve("ImageSets").resolve("Main").resolve(vocSet + ".txt");
        if (!Files.isRegularFile(list)) throw new UserError(list + ": no such image set");
        List<EvalRunJournal.Item> items = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            String id = line.strip();
            if (id.isEmpty()) continue;
            Path jpg = vocRoot.resolve("JPEGImages").resolve(id + ".jpg");
            Path png = vocRoot.resolve("JPEGImages").resolve(id + ".png");
            items.add(new EvalRunJournal.Item(id, Files.exists(jpg) || !Files.exists(png) ? jpg : png));
        }
        return items;
    }

    private int evaluateVoc(io.resdet.detector.LabelMap names, EvalRunJournal.Outcome outcome, java.util.Set<String> ids) throws Exception {
        Path dir = out.resolve("detections");
        int n = EvalRunJournal.writeVocDetections(out.resolve("detections.jsonl"), dir, vocSet, names.names(), ids);
        System.err.println("resdet eval run: " + n + " detections on " + (outcome.images() - outcome.failed()) + " images → " + dir);
        EvalVocCommand eval = new EvalVocCommand();
        eval.root = vocRoot;
        eval.set = vocSet;
        eval.detections = dir;
        // --classes (the shared detection filter) also picks the VOC classes evaluated: names, or label ids of names.
        eval.classes = detection.classes == null ? names.names().subList(1, names.size())
                : detection.classes.stream().map(c -> c.matches("\\d+") ? names.name(Integer.parseInt(c)) : c).toList();
        eval.metric = new EvalVocCommand.MetricConverter().convert(metric);
        eval.json = json;
        eval.imageIds = ids;
        int code = eval.call();
        return outcome.failed() > 0 ? 1 : code;
    }
}
