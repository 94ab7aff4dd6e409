package io.resdet.detector.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.resdet.detector.Detection;
import io.resdet.detector.DetectionTarget;
import io.resdet.detector.DetectorSpec;
import io.resdet.detector.FasterRCNN;
import io.resdet.detector.GeneralizedRCNNTransform;
import io.resdet.detector.ModelFiles;
import io.resdet.detector.RoIHeads;
import io.resdet.detector.data.DetectionDataset;
import io.resdet.detector.data.DetectionLoader;
import io.resdet.detector.data.DetectionSample;
import io.resdet.detector.draw.AnnotatedImages;
import io.resdet.detector.draw.DetectionPainter;
import io.resdet.detector.ops.BalancedPositiveNegativeSampler.PermutationSource;
import io.resdet.image.RgbImage;
import io.resdet.train.AdamW;
import io.resdet.train.LrSchedule;
import io.resdet.train.MetricsCsv;
import io.resdet.train.Optimizer;
import io.resdet.train.Schedules;
import io.resdet.train.Sgd;
import io.resdet.train.TrainCheckpoint;
import io.resdet.train.Trainer;
import io.resdet.util.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The training loop of torchvision's detection reference, in Java: batches from a {@link DetectionLoader},
 * {@link FasterRCNN#forwardTrain}, SGD (or AdamW) with warm-up and a multi-step or cosine schedule, optional
 * gradient clipping; periodic validation, best-model tracking, checkpoints that resume exactly, and in the run
 * folder: {@code metrics.csv}, {@code curves.png}, {@code samples/}, {@code model.safetensors} (the final
 * weights with their {@link DetectorSpec}) and {@code best.safetensors}.
 *
 * <p>Determinism: the loader's order and flips, the samplers' draws and the scale jitter all derive from the
 * seed and the iteration number, and the engine is re-seeded per step, so a resumed run repeats the
 * uninterrupted one step for step on CPU.
 */
public final class DetectorTrainer {
    public static final String MODEL = "model.safetensors";
    public static final String BEST = "best.safetensors";
    public static final String METRICS = "metrics.csv";
    public static final String CURVES = "curves.png";
    static final String CHECKPOINT = "checkpoint";
    static final List<String> LOSSES = List.of("loss_objectness", "loss_rpn_box_reg", "loss_classifier", "loss_box_reg");

    /** What a finished (or time-capped) run reports. */
    public record Summary(long iterations, boolean completed, double trainSeconds, double imagesPerSecond,
                          Map<String, Double> lastValidation, Map<String, Double> bestValidation, long bestIteration,
                          Path model) {}

    private final FasterRCNN model;
    private final DetectorSpec spec;
    private final DetectionDataset train;
    private final DetectionDataset val;
    private final Validator validator;
    private final TrainConfig cfg;
    private final PrintStream log;

    /**
     * @param model built in training configuration (see {@code FasterRCNNs.Builder}), initial weights loaded
     * @param val may be null (no validation); then {@code validator} may be null too
     */
    public DetectorTrainer(FasterRCNN model, DetectionDataset train, DetectionDataset val, Validator validator,
                           TrainConfig cfg, PrintStream log) {
        this.model = model;
        this.spec = model.spec().withClassNames(train.classNames());
        if (train.classNames().size() != model.numClasses()) {
            throw new IllegalArgumentException(train.describe() + " has " + (train.classNames().size() - 1)
                    + " classes but the model predicts " + (model.numClasses() - 1));
        }
        this.train = train;
        this.val = val;
        this.validator = val == null ? null : validator;
        this.cfg = cfg;
        this.log = log;
    }

    public Summary run() throws IOException {
        Files.createDirectories(cfg.out());
        Optimizer opt = cfg.optimizer().equals("adamw")
                ? new AdamW(model.namedParameters(), 0.9, 0.999, 1e-8, cfg.weightDecay(), Optimizer.decayAll())
                : new Sgd(model.namedParameters(), cfg.momentum(), cfg.weightDecay());
        Trainer t = new Trainer(model, opt, schedule(), cfg.seed()).clipGradNorm(cfg.clipNorm());
        Path ckpt = cfg.out().resolve(CHECKPOINT);
        if (cfg.resume()) {
            Path from = Files.isDirectory(ckpt) ? ckpt : cfg.out().resolve(CHECKPOINT + ".old");
            if (!Files.isRegularFile(from.resolve(TrainCheckpoint.META))) {
                throw new IOException(cfg.out() + ": nothing to resume (no " + CHECKPOINT + "/" + TrainCheckpoint.META + ")");
            }
            TrainCheckpoint.load(from, t);
            log.printf("resuming %s at iteration %d of %d%n", cfg.out(), t.iteration(), cfg.iterations());
        }
        List<String> valNames = validator == null ? List.of() : validator.metricNames();
        List<String> columns = new ArrayList<>(List.of("iteration", "epoch", "lr", "loss"));
        columns.addAll(LOSSES);
        columns.addAll(List.of("images_per_s", "seconds"));
        valNames.forEach(n -> columns.add("val_" + n));
        MetricsHistory history = MetricsHistory.open(cfg.out().resolve(METRICS), columns, t.iteration());
        Map<String, Double> last = Map.of(), best = history.best(valNames.isEmpty() ? null : "val_" + valNames.get(0));
        long bestIteration = history.bestIteration();
        long startIteration = t.iteration();
        long startNanos = System.nanoTime();
        double trainSeconds = 0;
        long imagesSeen = 0;
        boolean completed = true;
        try (MetricsCsv csv = history.writer();
             DetectionLoader loader = DetectionLoader.builder().setDataset(train).setBatchSize(cfg.batch())
                     .optShuffle(true).optSeed(cfg.seed()).optHorizontalFlip(cfg.horizontalFlip())
                     .optAspectRatioGroups(cfg.aspectRatioGroups()).optWorkers(cfg.workers())
                     .optStartIteration(t.iteration()).build();
             Progress progress = new Progress("train", cfg.iterations(), "it").resumeFrom(t.iteration())) {
            model.train(true);
            while (t.iteration() < cfg.iterations()) {
                if (cfg.minutes() > 0 && (System.nanoTime() - startNanos) / 60e9 >= cfg.minutes()) {
                    completed = false;
                    break;
                }
                long it = t.iteration();
                List<DetectionSample> batch = loader.next();
                long stepStart = System.nanoTime();
                Map<String, Double> parts = new LinkedHashMap<>();
                Trainer.Step step;
                try (NDManager sm = model.getManager().newSubManager()) {
                    List<NDArray> images = new ArrayList<>();
                    List<DetectionTarget> targets = new ArrayList<>();
                    for (DetectionSample s : batch) {
                        images.add(GeneralizedRCNNTransform.toTensor(sm, s.image()));
                        targets.add(new DetectionTarget(sm.create(s.boxes(), new Shape(s.numBoxes(), 4)),
                                sm.create(java.util.Arrays.stream(s.labels()).asLongStream().toArray())));
                    }
                    model.rpn().setSampler(PermutationSource.of(new Random(mix(cfg.seed(), it, 1))));
                    model.roiHeads().setSampler(PermutationSource.of(new Random(mix(cfg.seed(), it, 2))));
                    Random jitter = new Random(mix(cfg.seed(), it, 3));
                    step = t.step(() -> {
                        FasterRCNN.TrainLosses l = model.forwardTrain(images, targets, jitter);
                        parts.putAll(l.values());
                        return l.total();
                    });
                }
                double seconds = (System.nanoTime() - stepStart) / 1e9;
                if (!Double.isFinite(step.loss())) {
                    throw new IllegalStateException("loss became " + step.loss() + " at iteration " + it
                            + " (" + parts + "); lower --lr or raise --warmup");
                }
                trainSeconds += seconds;
                imagesSeen += batch.size();
                progress.note(String.format(Locale.ROOT, "loss %.3f (obj %.3f rpn %.3f cls %.3f box %.3f) lr %.4f %.1f img/s",
                        step.loss(), parts.get("loss_objectness"), parts.get("loss_rpn_box_reg"), parts.get("loss_classifier"),
                        parts.get("loss_box_reg"), step.lr(), imagesSeen / trainSeconds));
                progress.update(it + 1);
                boolean end = it + 1 == cfg.iterations();
                Map<String, Double> v = Map.of();
                if (validator != null && (end || (cfg.validateEvery() > 0 && (it + 1) % cfg.validateEvery() == 0))) {
                    v = validate();
                    last = v;
                    String key = valNames.get(0);
                    if (best.isEmpty() || v.get(key) > best.getOrDefault(key, Double.NEGATIVE_INFINITY)) {
                        best = v;
                        bestIteration = it + 1;
                        export(cfg.out().resolve(BEST));
                    }
                    log.printf("%nvalidation at iteration %d: %s%n", it + 1, format(v));
                }
                List<Object> row = new ArrayList<>(List.of(it + 1, loader.epoch(), step.lr(), step.loss()));
                for (String k : LOSSES) row.add(parts.get(k));
                row.add(batch.size() / seconds);
                row.add(seconds);
                for (String n : valNames) row.add(v.getOrDefault(n, Double.NaN));
                csv.row(row.toArray());
                if (end || (cfg.checkpointEvery() > 0 && (it + 1) % cfg.checkpointEvery() == 0)) {
                    checkpoint(t);
                    TrainingPlots.write(cfg.out().resolve(METRICS), cfg.out().resolve(CURVES));
                }
            }
        }
        if (!completed) {
            checkpoint(t);
            log.printf("%nstopped at the %.1f-minute limit after iteration %d; --resume continues%n", cfg.minutes(), t.iteration());
        }
        TrainingPlots.write(cfg.out().resolve(METRICS), cfg.out().resolve(CURVES));
        export(cfg.out().resolve(MODEL));
        if (val != null && cfg.sampleImages() > 0) writeSamples();
        double rate = trainSeconds > 0 ? imagesSeen / trainSeconds : 0;
        return new Summary(t.iteration() - startIteration, completed, trainSeconds, rate, last, best, bestIteration,
                cfg.out().resolve(MODEL));
    }

    private LrSchedule schedule() {
        LrSchedule inner = switch (cfg.schedule()) {
            case "cosine" -> Schedules.cosine(cfg.lr(), cfg.iterations(), 0);
            case "constant" -> Schedules.constant(cfg.lr());
            default -> Schedules.multiStep(cfg.lr(),
                    cfg.milestones().stream().mapToLong(f -> Math.round(f * cfg.iterations())).toArray(), cfg.gamma());
        };
        return cfg.warmupIterations() > 0 ? Schedules.linearWarmup(cfg.warmupFactor(), cfg.warmupIterations(), inner) : inner;
    }

    /** A seed per (run, iteration, purpose): SplitMix64's finaliser over the three. */
    static long mix(long seed, long iteration, int purpose) {
        long z = seed * 0x9E3779B97F4A7C15L + iteration * 0xBF58476D1CE4E5B9L + purpose * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Writes to a fresh folder, then swaps it in, so a kill mid-write leaves the previous checkpoint usable. */
    private void checkpoint(Trainer t) throws IOException {
        Path dir = cfg.out().resolve(CHECKPOINT), fresh = cfg.out().resolve(CHECKPOINT + ".new"),
                old = cfg.out().resolve(CHECKPOINT + ".old");
        deleteTree(fresh);
        TrainCheckpoint.save(fresh, t);
        deleteTree(old);
        if (Files.exists(dir)) Files.move(dir, old);
        Files.move(fresh, dir);
        deleteTree(old);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    private void export(Path file) throws IOException {
        ModelFiles.write(model, spec, file);
    }

    private int[] validationIndices() {
        int n = cfg.validateImages() > 0 ? Math.min(cfg.validateImages(), val.size()) : val.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return idx;
    }

    /** Detections for {@code indices} in evaluation mode (running BN statistics, test-time proposal counts). */
    private List<List<Detection>> detect(int[] indices) throws IOException {
        model.train(false);
        List<List<Detection>> out = new ArrayList<>();
        try {
            for (int from = 0; from < indices.length; from += cfg.batch()) {
                int to = Math.min(indices.length, from + cfg.batch());
                try (NDManager sm = model.getManager().newSubManager()) {
                    List<NDArray> images = new ArrayList<>();
                    for (int i = from; i < to; i++) images.add(GeneralizedRCNNTransform.toTensor(sm, val.get(indices[i]).image()));
                    for (RoIHeads.Result r : model.detect(images)) out.add(toDetections(r));
                }
            }
        } finally {
            model.train(true);
        }
        return out;
    }

    private List<Detection> toDetections(RoIHeads.Result r) {
        float[] b = r.boxes().toFloatArray();
        float[] s = r.scores().toFloatArray();
        long[] l = r.labels().toLongArray();
        List<Detection> dets = new ArrayList<>(s.length);
        List<String> names = spec.classNames();
        for (int i = 0; i < s.length; i++) {
            int label = (int) l[i];
            dets.add(new Detection(b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3], label,
                    label < names.size() ? names.get(label) : Integer.toString(label), s[i]));
        }
        return dets;
    }

    private Map<String, Double> validate() throws IOException {
        int[] idx = validationIndices();
        try (Progress p = new Progress("validate", idx.length, "img")) {
            List<List<Detection>> dets = detect(idx);
            p.update(idx.length);
            return validator.evaluate(val, idx, dets);
        }
    }

    /** The first validation images with the final model's confident detections drawn, as PNGs. */
    private void writeSamples() throws IOException {
        int n = Math.min(cfg.sampleImages(), val.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        // Drawn: the detections scoring over 0.5. Filtering the model's own (threshold 0.05) output keeps exactly the
        // boxes a 0.5 threshold inside the heads would keep: NMS never lets a lower score suppress a higher one.
        List<List<Detection>> dets = new ArrayList<>();
        for (List<Detection> d : detect(idx)) dets.add(d.stream().filter(x -> x.score() > 0.5f).toList());
        Path dir = cfg.out().resolve("samples");
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            DetectionSample s = val.get(idx[i]);
            RgbImage img = s.image();
            AnnotatedImages.write(DetectionPainter.draw(img, dets.get(i)), dir.resolve(String.format(Locale.ROOT, "val_%03d.png", i)));
        }
    }

    static String format(Map<String, Double> v) {
        StringBuilder sb = new StringBuilder();
        v.forEach((k, x) -> sb.append(sb.length() == 0 ? "" : "  ").append(k).append(' ').append(String.format(Locale.ROOT, "%.4f", x)));
        return sb.toString();
    }
}
