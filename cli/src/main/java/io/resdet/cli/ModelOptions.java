package io.resdet.cli;

import io.resdet.detector.Detector;
import io.resdet.detector.FasterRCNNs;
import io.resdet.detector.LabelMap;
import io.resdet.models.ModelEntry;
import io.resdet.models.ModelRegistry;
import io.resdet.models.ModelStore;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Which model: {@code --model NAME} (a {@link ModelRegistry} entry), or {@code --weights FILE|URL} with {@code --arch},
 * {@code --num-classes}, {@code --labels}; the same on every command that loads one (classify, detect, eval run, serve,
 * demo, train). {@link #resolve} turns a name or URL into a cached local file and fills the other three from the
 * entry, so everything after it sees plain settings.
 */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "NAME",
            description = "Pretrained weights by name, e.g. fasterrcnn_resnet50_fpn.coco_v1, fasterrcnn_resnet50_fpn_v2.coco_v1,"
                    + " resnet50.imagenet1k_v2, resdet-shapes ('resdet models' lists them): taken from the cache, else"
                    + " downloaded once and checked against its SHA-256 (default: none).")
    String modelName;

    /** The weights file: given, or resolved from --model / a URL. */
    Path weights;
    private String weightsUrl;
    private Integer resizeSize;
    private boolean resolved;

    @Option(names = "--weights", paramLabel = "FILE|URL",
            description = "Weights: a torch.save(state_dict) .pth/.pt file or .safetensors, or an http(s) URL (downloaded into"
                    + " the cache, checked against the hash in its name-<sha256 prefix>.pth); a resdet-trained file carries its"
                    + " network and class names. torchvision's COCO download (*_coco-<hash>.pth) is recognised by name"
                    + " (default: the bundled demo model where a command has one, else required).")
    void weights(String w) {
        if (w.startsWith("http://") || w.startsWith("https://")) {
            weightsUrl = w;
            weights = null;
        } else {
            weights = Path.of(w);
            weightsUrl = null;
        }
    }

    @Option(names = "--arch", paramLabel = "NAME",
            description = "Architecture of the weights: fasterrcnn_resnet{18,34,50,101,152}_fpn[_v2] for detectors, resnet18..152,"
                    + " resnext50_32x4d, wide_resnet50_2, CIFAR resnet20..1202, ... for classify (default: from a resdet-trained"
                    + " file; required for torchvision weights).")
    String arch;

    @Option(names = "--num-classes", paramLabel = "N",
            description = "Classes, background included for detectors (default: from --labels or the weights, else 91 = COCO;"
                    + " classify: 1000 for ImageNet architectures, 10 for CIFAR).")
    Integer numClasses;

    @Option(names = "--labels", paramLabel = "coco|voc|FILE",
            description = "Class names: coco (torchvision's 91 ids), voc (21), cifar10, cifar100, fashion-mnist (classification),"
                    + " a file with one name per line (line i = label i, line 0 the background for detectors), or comma-separated"
                    + " names (default: a resdet-trained file's own, voc for 21 classes, else coco; classify: ImageNet's names for"
                    + " 1000 classes, CIFAR-10's or CIFAR-100's for a 10- or 100-class CIFAR network, else indices).")
    String labels;

    /** {@code --non-strict}: only where a command loads weights for inference as they are (classify, detect). */
    static final class Strictness {
        @Option(names = "--non-strict", description = "Load checkpoints with missing/unexpected keys (reported on stderr)"
                + " instead of failing (default: strict).")
        boolean nonStrict;
    }

    /**
     * Resolves {@code --model} and URL weights to a local file (cache, else a verified download) and fills arch, classes
     * and labels from the registry entry; {@code task}: what the command runs, {@code detection} or
     * {@code classification}. Every problem is one line naming the flag.
     */
    void resolve(String task) {
        if (resolved) return;
        resolved = true;
        Map<String, String> env = environment();
        ModelStore store = ModelStore.fromEnvironment(env);
        try {
            if (modelName != null) {
                if (weights != null || weightsUrl != null) throw new UserError("--model and --weights: give one of them");
                ModelEntry e;
                try {
                    e = ModelRegistry.load(env).get(modelName);
                } catch (IllegalArgumentException x) {
                    throw new UserError("--model: " + x.getMessage());
                }
                if (!e.task().equals(task)) {
                    throw new UserError("--model " + modelName + " is a " + e.task() + " model; this command needs a " + task + " model");
                }
                if (e.url() == null) return; // resdet's bundled model: what the command loads without weights
                if (arch != null && !arch.equals(e.arch())) throw new UserError("--arch " + arch + " does not fit --model " + modelName + " (" + e.arch() + ")");
                arch = e.arch();
                if (numClasses == null) numClasses = e.numClasses();
                if (labels == null && !e.labels().equals("imagenet")) labels = e.labels();
                if (e.resizeSize() > 0) resizeSize = e.resizeSize();
                weights = store.file(e);
            } else if (weightsUrl != null) {
                weights = store.fetch(weightsUrl);
            }
        } catch (java.io.IOException x) {
            throw new UserError(x.getMessage(), 1);
        }
    }

    /** Classification preprocessing of a --model entry: the resize of the short side (null: the standard 256). */
    Integer resizeSize() {
        return resizeSize;
    }

    /** The environment, with {@code -DRESDET_HOME=...} style system properties taking precedence (tests, launchers). */
    static Map<String, String> environment() {
        return ModelStore.environment();
    }

    Path requireWeights(String why) {
        if (weights == null) throw new UserError("--weights: required" + why);
        return checkedWeights();
    }

    Path checkedWeights() {
        if (weights != null && !Files.isRegularFile(weights)) throw new UserError(weights + ": no such file");
        return weights;
    }

    /** Class names, or null when none were given. */
    LabelMap labelMap() {
        if (labels == null) return null;
        List<String> dataset = io.resdet.backbone.DatasetLabels.named(labels);
        if (dataset != null) return new LabelMap(labels, dataset);
        if (labels.contains(",") && !Files.exists(Path.of(labels))) {
            return new LabelMap("--labels", List.of(labels.split(",", -1)).stream().map(String::strip).toList());
        }
        try {
            return LabelMap.parse(labels);
        } catch (IOException e) {
            throw new UserError("--labels: " + e.getMessage());
        }
    }

    void checkNumClasses() {
        if (numClasses != null && numClasses < 1) throw new UserError("--num-classes: must be at least 1, got " + numClasses);
    }

    void checkDetectorArch() {
        if (arch != null && !FasterRCNNs.ARCHS.contains(arch)) {
            throw new UserError("unknown --arch '" + arch + "'; known: " + String.join(", ", FasterRCNNs.ARCHS));
        }
    }

    /**
     * The one place command-line settings enter a {@link Detector.Builder}: the model, the detection controls and the
     * device. Validates them first (one line naming the flag).
     */
    Detector.Builder detectorBuilder(DetectionOptions det, ComputeOptions compute) {
        resolve("detection");
        checkDetectorArch();
        checkNumClasses();
        det.check();
        compute.check();
        if (arch != null && weights == null) throw new UserError("--arch needs --weights (without both, the bundled model is used)");
        checkedWeights();
        Detector.Builder b = Detector.builder().setArch(arch).setWeights(weights).optDevice(compute.device);
        LabelMap names = labelMap();
        if (names != null) b.optLabels(names);
        if (numClasses != null) b.optNumClasses(numClasses);
        if (det.scoreThreshold != null) b.optScoreThreshold(det.scoreThreshold);
        if (det.minSize != null) b.optMinSize(det.minSize);
        if (det.maxSize != null) b.optMaxSize(det.maxSize);
        if (det.nmsIou != null) b.optNmsThreshold(det.nmsIou);
        if (det.maxDetections != null) b.optMaxDetections(det.maxDetections);
        if (det.classes != null) b.optClasses(det.classes);
        if (det.half) b.optHalf(true);
        return b;
    }

    /** The same settings as the service's {@code model.*} config keys (serve, demo): only those given. */
    void putServiceFlags(Map<String, Object> f, DetectionOptions det, ComputeOptions compute) {
        resolve("detection");
        checkDetectorArch();
        checkNumClasses();
        det.check();
        compute.check();
        f.put("model.arch", arch);
        f.put("model.weights", weights == null ? null : weights.toString());
        f.put("model.num-classes", numClasses);
        f.put("model.labels", labels);
        f.put("model.min-size", det.minSize);
        f.put("model.max-size", det.maxSize);
        f.put("model.score-threshold", det.scoreThreshold);
        f.put("model.nms-iou", det.nmsIou);
        f.put("model.max-detections", det.maxDetections);
        f.put("model.classes", det.classes == null ? null : String.join(",", det.classes));
        f.put("model.device", compute.device);
        f.put("model.half", det.half ? Boolean.TRUE : null);
        f.put("batch-size", det.batch);
    }
}
