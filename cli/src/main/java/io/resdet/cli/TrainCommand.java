package io.resdet.cli;

import ai.djl.ndarray.NDManager;
import io.resdet.detector.DetectorSpec;
import io.resdet.detector.DetectorWeights;
import io.resdet.detector.FasterRCNN;
import io.resdet.detector.FasterRCNNs;
import io.resdet.detector.ModelFiles;
import io.resdet.detector.RegionProposalNetwork;
import io.resdet.detector.RoIHeads;
import io.resdet.detector.data.DetectionDataset;
import io.resdet.detector.data.DetectionDatasets;
import io.resdet.detector.train.DetectorTrainer;
import io.resdet.detector.train.TrainConfig;
import io.resdet.io.CheckpointException;
import io.resdet.nn.Devices;
import io.resdet.nn.NormLayer;
import io.resdet.nn.StateDictLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code resdet train}: Faster R-CNN training from scratch or fine-tuning, torchvision's recipe. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a Faster R-CNN + FPN detector with torchvision's training semantics.",
                "It writes RUN_DIR:",
                "  metrics.csv, curves.png (loss parts, validation AP, lr), samples/*.png (validation predictions),",
                "  model.safetensors (final weights, torchvision key names + the network's spec), best.safetensors,",
                "  checkpoint/ (model, optimizer, schedule; --resume continues exactly), run.json.",
                "DATA: DIR (a `resdet data synth` dataset: its train split; validation on its val split),",
                "  coco:GT.json:IMAGES, voc:ROOT:SET, voc:ROOT1:SET1+voc:ROOT2:SET2 (07+12).",
                "The classes come from the data; --num-classes and --labels do not apply."},
        footer = {"", "Example:",
                "  resdet data synth --out shapes && resdet train --data shapes --preset shapes --out runs/shapes --iterations 2000",
                "  resdet train --data voc:VOCdevkit/VOC2007:trainval+voc:VOCdevkit/VOC2012:trainval --val voc:VOCdevkit/VOC2007:test \\",
                "      --weights fasterrcnn_resnet50_fpn_coco-258fb6c6.pth --out runs/voc --epochs 12"})
public final class TrainCommand implements Callable<Integer> {
    private String arch;
    private Path weights;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Training data (see above).")
    String data;

    @Option(names = "--val", paramLabel = "SPEC", description = "Validation data (default: a synth dataset's val split; none for coco/voc).")
    String valSpec;

    @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "Run folder (created).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in RUN_DIR from its last checkpoint (same options required).")
    boolean resume;

    @Option(names = "--preset", defaultValue = "torchvision", paramLabel = "NAME",
            description = "Model defaults: torchvision (its Faster R-CNN settings) or shapes (a small ResNet-18 FPN for ~160 px images:"
                    + " C2-C4, 128-wide FPN, anchors 16-128, 256-wide box head, 128 RoIs per image, BatchNorm, trained from scratch)."
                    + " The options below override it. Default: ${DEFAULT-VALUE}.")
    String preset;

    /** --weights: initial weights to fine-tune; a predictor for another class count is replaced (COCO's 91 → VOC's 21). */
    @Mixin ModelOptions model;

    @Option(names = "--norm", paramLabel = "frozen|batchnorm", description = "Backbone normalisation (default: frozen with --weights, batchnorm from scratch).")
    String norm;

    @Option(names = "--trainable-layers", paramLabel = "K", description = "Backbone stages that train, 0-5 (default: 3 with --weights, 5 from scratch).")
    Integer trainableLayers;

    @Option(names = "--returned-layers", split = ",", paramLabel = "L,...", description = "Body stages feeding the FPN (default 1,2,3,4; shapes 1,2,3).")
    List<Integer> returnedLayers;

    @Option(names = "--fpn-channels", paramLabel = "C", description = "FPN width (default 256; shapes 128).")
    Integer fpnChannels;

    @Option(names = "--anchor-sizes", split = ",", paramLabel = "S,...", description = "One anchor size per pyramid level (default 32,...; shapes 16,32,64,128).")
    List<Integer> anchorSizes;

    @Option(names = "--representation-size", paramLabel = "N", description = "Box head fc width (default 1024; shapes 256).")
    Integer representationSize;

    @Option(names = "--rois-per-image", paramLabel = "N", description = "RoIs sampled per image (default 512; shapes 128), 25%% positive at most.")
    Integer roisPerImage;

    @Option(names = "--rpn-train-proposals", split = ",", paramLabel = "PRE,POST",
            description = "RPN proposals before/after NMS in training (default 2000,2000; shapes 600,300).")
    List<Integer> rpnTrain;

    @Option(names = "--rpn-test-proposals", split = ",", paramLabel = "PRE,POST",
            description = "RPN proposals before/after NMS at inference (default 1000,1000; shapes 300,100).")
    List<Integer> rpnTest;

    @Option(names = "--min-size", paramLabel = "N", description = "Short side after resizing (default 800; shapes 160).")
    Integer minSize;

    @Option(names = "--max-size", paramLabel = "N", description = "Long-side limit (default 1333; shapes 266).")
    Integer maxSize;

    @Option(names = "--scale-jitter", split = ",", paramLabel = "S,...", description = "Training short sides drawn per image (default: none).")
    List<Integer> scaleJitter;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the training set (alternative to --iterations).")
    Double epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Optimisation steps (default: 12 epochs).")
    Long iterations;

    @Option(names = "--batch", defaultValue = "2", paramLabel = "B", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", description = "Base learning rate (default: 0.02 × batch / 16, torchvision's rule).")
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M", description = "SGD momentum (default: ${DEFAULT-VALUE}).") double momentum;

    @Option(names = "--weight-decay", defaultValue = "1e-4", paramLabel = "WD", description = "Weight decay (default: ${DEFAULT-VALUE}).") double weightDecay;

    @Option(names = "--warmup", defaultValue = "1000", paramLabel = "N", description = "Linear warm-up iterations (default: ${DEFAULT-VALUE}, capped at the run's length).")
    int warmup;

    @Option(names = "--warmup-factor", defaultValue = "0.001", paramLabel = "F", description = "Warm-up starts at F × the rate (default: ${DEFAULT-VALUE}).") double warmupFactor;

    @Option(names = "--schedule", defaultValue = "multistep", paramLabel = "multistep|cosine|constant", description = "Learning-rate schedule after warm-up (default: ${DEFAULT-VALUE}).") String schedule;

    @Option(names = "--milestones", split = ",", defaultValue = "0.667,0.889", paramLabel = "F,...",
            description = "Multi-step points as fractions of the run (default: ${DEFAULT-VALUE}, torchvision's 16,22 of 26 epochs).")
    List<Double> milestones;

    @Option(names = "--gamma", defaultValue = "0.1", paramLabel = "G", description = "Multi-step factor at each milestone (default: ${DEFAULT-VALUE}).") double gamma;

    @Option(names = "--clip-grad", defaultValue = "0", paramLabel = "NORM", description = "Clip the global gradient norm (0: off).")
    double clipGrad;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "sgd|adamw", description = "Optimizer (default: ${DEFAULT-VALUE}).") String optimizer;

    @Option(names = "--minutes", defaultValue = "0", paramLabel = "M", description = "Stop (with a checkpoint) after M minutes of wall time (0: no limit).")
    double minutes;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Image decoding threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--hflip", defaultValue = "0.5", paramLabel = "P", description = "Horizontal-flip probability (default: ${DEFAULT-VALUE}).")
    double hflip;

    @Option(names = "--aspect-groups", defaultValue = "3", paramLabel = "K", description = "Aspect-ratio grouping factor (0: off; default: ${DEFAULT-VALUE}).")
    int aspectGroups;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed for weights, sampling and augmentation (default: ${DEFAULT-VALUE}).") long seed;

    @Option(names = "--checkpoint-every", defaultValue = "500", paramLabel = "N", description = "Write RUN_DIR/checkpoint every N iterations (default: ${DEFAULT-VALUE}).") int checkpointEvery;

    @Option(names = "--val-every", defaultValue = "0", paramLabel = "N", description = "Validate every N iterations (0: at the end only).")
    int valEvery;

    @Option(names = "--val-images", defaultValue = "0", paramLabel = "N", description = "Validate on the first N images (0: all).")
    int valImages;

    @Option(names = "--samples", defaultValue = "8", paramLabel = "N", description = "Validation images drawn with predictions into RUN_DIR/samples.")
    int samples;

    @Mixin ComputeOptions compute;

    @Override
    public Integer call() throws Exception {
        if (!List.of("torchvision", "shapes").contains(preset)) throw new UserError("--preset must be torchvision or shapes, got '" + preset + "'");
        if (model.numClasses != null || model.labels != null) throw new UserError("--num-classes/--labels: train takes the classes from --data");
        model.resolve("detection"); // --model: fine-tune from pretrained weights
        model.checkDetectorArch();
        model.checkedWeights();
        compute.apply();
        arch = model.arch;
        weights = model.weights;
        DetectionDataset train = open(data, true, "--data");
        DetectionDataset val = valSpec != null ? open(valSpec, false, "--val")
                : Files.isDirectory(Path.of(data)) ? open(data, false, "--data (val split)") : null;
        long iters = iterations != null ? iterations
                : (long) Math.ceil((epochs != null ? epochs : 12) * Math.ceil(train.size() / (double) batch));
        TrainConfig cfg;
        try {
            TrainConfig.Builder tb = TrainConfig.builder().setOut(out).setIterations(iters).optBatch(batch).optMomentum(momentum)
                    .optWeightDecay(weightDecay).optWarmup(warmup, warmupFactor).optSchedule(schedule, milestones, gamma)
                    .optClipNorm(clipGrad).optOptimizer(optimizer).optMinutes(minutes).optWorkers(workers).optHorizontalFlip(hflip)
                    .optAspectRatioGroups(aspectGroups).optSeed(seed).optCheckpointEvery(checkpointEvery)
                    .optValidation(valEvery, valImages).optSampleImages(samples).optResume(resume);
            if (lr != null) tb.optLr(lr);
            cfg = tb.build();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        try (NDManager m = NDManager.newBaseManager(Devices.resolve(compute.device))) {
            FasterRCNN model = build(m, train.classNames().size());
            RunFile.check(out, resume, model.spec().withClassNames(train.classNames()), cfg);
            System.err.printf(Locale.ROOT, "training %s (%,d parameters) on %s, %d iterations of %d images%s%n", model.name(),
                    model.parameterCount(), train.describe(), iters, batch, val == null ? "" : "; validating on " + val.describe());
            DetectorTrainer.Summary s = new DetectorTrainer(model, train, val, val == null ? null : new CocoValidation(), cfg, System.err).run();
            System.out.println(RunFile.summaryJson(s, out));
            return 0;
        } catch (CheckpointException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static DetectionDataset open(String spec, boolean train, String option) {
        try {
            return DetectionDatasets.open(spec, train);
        } catch (IOException e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }

    private FasterRCNN build(NDManager m, int numClasses) throws CheckpointException {
        boolean shapes = preset.equals("shapes");
        FasterRCNNs.Builder b = FasterRCNNs.builder();
        DetectorSpec initSpec = weights == null ? null : ModelFiles.readSpec(weights).orElse(null);
        if (initSpec != null && arch == null) b.fromSpec(initSpec.withClassNames(null));
        else if (shapes) b.fromSpec(shapesPreset());
        String a = arch != null ? arch : initSpec != null ? initSpec.arch() : shapes ? "fasterrcnn_resnet18_fpn" : "fasterrcnn_resnet50_fpn";
        if (!FasterRCNNs.ARCHS.contains(a)) throw new UserError("unknown --arch '" + a + "'; known: " + String.join(", ", FasterRCNNs.ARCHS));
        b.setArch(a).optNumClasses(numClasses);
        boolean scratch = weights == null;
        String n = norm != null ? norm : scratch ? "batchnorm" : null;
        if (n != null) {
            if (!List.of("frozen", "batchnorm").contains(n)) throw new UserError("--norm must be frozen or batchnorm, got '" + n + "'");
            b.optNorm(n.equals("frozen") ? NormLayer.frozen(1e-5f) : NormLayer.BATCH_NORM);
        }
        if (weights != null && io.resdet.detector.Detector.isTorchvisionCocoFile(weights)) b.optFrozenBnEps(0f);
        b.optTrainableLayers(trainableLayers != null ? trainableLayers : scratch ? 5 : 3);
        if (returnedLayers != null) b.optReturnedLayers(returnedLayers);
        if (fpnChannels != null) b.optFpnChannels(fpnChannels);
        if (anchorSizes != null) b.optAnchorSizes(anchorSizes);
        if (representationSize != null) b.optRepresentationSize(representationSize);
        if (minSize != null) b.optMinSize(minSize);
        if (maxSize != null) b.optMaxSize(maxSize);
        if (scaleJitter != null) b.optTrainMinSizes(scaleJitter);
        RegionProposalNetwork.RpnConfig r = b.spec(null).rpn();
        if (rpnTrain != null || rpnTest != null) {
            List<Integer> tr = pair(rpnTrain, r.preNmsTopNTrain(), r.postNmsTopNTrain(), "--rpn-train-proposals");
            List<Integer> te = pair(rpnTest, r.preNmsTopNTest(), r.postNmsTopNTest(), "--rpn-test-proposals");
            b.optRpnConfig(r.toBuilder().optPreNmsTopN(tr.get(0), te.get(0)).optPostNmsTopN(tr.get(1), te.get(1)).build());
        }
        RoIHeads.HeadsConfig h = b.spec(null).heads();
        if (roisPerImage != null) b.optHeadsConfig(h.withSampling(roisPerImage, h.positiveFraction()));
        FasterRCNN model;
        try {
            model = b.build(m);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (weights != null) loadInit(model);
        return model;
    }

    private static List<Integer> pair(List<Integer> v, int pre, int post, String option) {
        if (v == null) return List.of(pre, post);
        if (v.size() != 2 || v.get(0) < 1 || v.get(1) < 1) throw new UserError(option + " takes two positive counts PRE,POST, got " + v);
        return v;
    }

    /** The small configuration for ~160 px images of few classes, trained from scratch in minutes on a CPU. */
    static DetectorSpec shapesPreset() {
        return DetectorSpec.builder().setArch("fasterrcnn_resnet18_fpn").optNumClasses(2).optMinSize(160).optMaxSize(266)
                .optNorm("batchnorm").optReturnedLayers(List.of(1, 2, 3)).optFpnChannels(128).optAnchorSizes(List.of(16, 32, 64, 128))
                .optRepresentationSize(256).optTrainableLayers(5)
                .optRpn(RegionProposalNetwork.RpnConfig.builder().optPreNmsTopN(600, 300).optPostNmsTopN(300, 100).build())
                .optHeads(RoIHeads.HeadsConfig.defaults().withSampling(128, 0.25)).build();
    }

    /** Fine-tuning: everything that fits loads; a predictor for another class count starts fresh. */
    private void loadInit(FasterRCNN model) throws CheckpointException {
        if (!Files.isRegularFile(weights)) throw new UserError(weights + ": no such file");
        StateDictLoader.Report r = DetectorWeights.loadForFineTuning(model, weights);
        if (!r.clean()) System.err.println("resdet train: " + weights + ": " + r.describe());
    }
}
