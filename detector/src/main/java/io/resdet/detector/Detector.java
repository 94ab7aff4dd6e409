package io.resdet.detector;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.image.RgbImage;
import io.resdet.io.CheckpointException;
import io.resdet.nn.Devices;
import io.resdet.nn.ModelBuilder;
import io.resdet.nn.StateDictLoader;
import io.resdet.nn.Weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The detector a user calls: a {@link FasterRCNN} with its weights, label names and score threshold.
 * Thread-safe: every call works in its own native memory scope and the model is read-only.
 *
 * <pre>{@code
 * try (Detector d = Detector.builder().setArch("fasterrcnn_resnet50_fpn")
 *         .setWeights(Path.of("fasterrcnn_resnet50_fpn_coco-258fb6c6.pth")).optTorchvisionCocoWeights(true).build()) {
 *     List<Detection> found = d.detect(Images.read(Path.of("street.jpg")));
 * }
 * }</pre>
 */
public final class Detector implements AutoCloseable {
    private final NDManager manager;
    private final FasterRCNN model;
    private final LabelMap labels;
    private final StateDictLoader.Report loadReport;

    private Detector(NDManager manager, FasterRCNN model, LabelMap labels, StateDictLoader.Report report) {
        this.manager = manager;
        this.model = model;
        this.labels = labels;
        this.loadReport = report;
    }

    public static Builder builder() {
        return new Builder();
    }

    public FasterRCNN model() {
        return model;
    }

    public LabelMap labels() {
        return labels;
    }

    public StateDictLoader.Report loadReport() {
        return loadReport;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** Whether the network computes in float16 ({@link Builder#optHalf}). */
    public boolean half() {
        return model.computeType() == ai.djl.ndarray.types.DataType.FLOAT16;
    }

    public List<Detection> detect(RgbImage image) {
        return detect(List.of(image)).get(0);
    }

    /**
     * Detections per image, best first, boxes in each image's own pixels. The images go through the network as one
     * batch (zero-padded to a common size), which is what keeps a GPU busy; the pixels are uploaded once per image
     * ({@link GeneralizedRCNNTransform#toTensor}) and only the final boxes, scores and labels come back.
     */
    public List<List<Detection>> detect(List<RgbImage> images) {
        try (NDManager m = manager.newSubManager()) {
            List<NDArray> tensors = new ArrayList<>();
            for (RgbImage im : images) tensors.add(GeneralizedRCNNTransform.toTensor(m, im));
            List<RoIHeads.Result> results = model.detectScoped(tensors);
            List<List<Detection>> out = new ArrayList<>();
            for (RoIHeads.Result r : results) {
                float[] b = r.boxes().toFloatArray();
                float[] s = r.scores().toFloatArray();
                long[] l = r.labels().toLongArray();
                List<Detection> dets = new ArrayList<>(s.length);
                for (int i = 0; i < s.length; i++) {
                    dets.add(new Detection(b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3], (int) l[i],
                            labels.name((int) l[i]), s[i]));
                }
                out.add(dets);
            }
            return out;
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * Whether {@code file} is named like torchvision's COCO download ({@code *_coco-<hash>.pth}), whose v1 backbone
     * needs FrozenBatchNorm eps 0.0 ({@code overwrite_eps}).
     */
    public static boolean isTorchvisionCocoFile(Path file) {
        return file.getFileName().toString().matches(".*_coco-[0-9a-f]+\\.pth");
    }

    /**
     * DJL-style builder: {@code setArch} + {@code setWeights} for torchvision checkpoints; {@code setWeights}
     * alone for resdet-trained files; neither for the bundled demo model.
     */
    public static final class Builder extends ModelBuilder<Builder> {
        private final FasterRCNNs.Builder model = FasterRCNNs.builder();
        private Integer minSize, maxSize;
        private LabelMap labels;
        private Float scoreThreshold;
        private Double nmsThreshold;
        private Integer maxDetections;
        private List<String> classes;
        private Boolean cocoWeights;
        private boolean half;

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optLabels(LabelMap labels) {
            this.labels = labels;
            return this;
        }

        public Builder optScoreThreshold(float s) {
            this.scoreThreshold = s;
            return this;
        }

        /** torchvision's {@code box_nms_thresh}: class-wise NMS IoU (default 0.5). */
        public Builder optNmsThreshold(double iou) {
            if (!(iou >= 0 && iou <= 1)) throw new IllegalArgumentException("NMS IoU must be in [0, 1], got " + iou);
            this.nmsThreshold = iou;
            return this;
        }

        /** torchvision's {@code box_detections_per_img} (default 100). */
        public Builder optMaxDetections(int n) {
            if (n < 1) throw new IllegalArgumentException("max detections must be at least 1, got " + n);
            this.maxDetections = n;
            return this;
        }

        /**
         * Only these classes, by name or label id (e.g. {@code person}, {@code 3}); filtered before the best
         * {@code maxDetections} are chosen, so they are the best of the wanted classes. Checked against the labels.
         */
        public Builder optClasses(List<String> classes) {
            this.classes = classes == null ? null : List.copyOf(classes);
            return this;
        }

        public Builder optMinSize(int s) {
            this.minSize = s;
            return this;
        }

        public Builder optMaxSize(int s) {
            this.maxSize = s;
            return this;
        }

        /** Width of the v1 box head's fc layers; must match the weights (1024 for torchvision's). */
        public Builder optRepresentationSize(int n) {
            model.optRepresentationSize(n);
            return this;
        }

        /** Proposal counts and thresholds; fewer proposals make small models fast. */
        public Builder optRpnConfig(RegionProposalNetwork.RpnConfig c) {
            model.optRpnConfig(c);
            return this;
        }

        /**
         * Whether the weights are torchvision's COCO checkpoint for v1, whose FrozenBatchNorm eps is 0.0
         * ({@code overwrite_eps}). Unset: decided from the file name ({@code *_coco-*.pth}).
         */
        public Builder optTorchvisionCocoWeights(boolean yes) {
            this.cocoWeights = yes;
            return this;
        }

        /**
         * Float16 weights and activations ({@link FasterRCNN#toHalf()}): for GPUs with tensor cores. Refused on the
         * CPU, where libtorch's float16 convolutions are slower than float32 and gain nothing.
         */
        public Builder optHalf(boolean half) {
            this.half = half;
            return this;
        }

        /** {@code --classes} tokens to label ids: an integer is an id, anything else a class name of {@code names}. */
        static int[] classIds(List<String> tokens, LabelMap names, int numClasses) {
            int[] ids = new int[tokens.size()];
            for (int i = 0; i < ids.length; i++) {
                String t = tokens.get(i).strip();
                int id = -1;
                if (t.matches("\\d+")) {
                    id = Integer.parseInt(t);
                } else {
                    for (int l = 1; l < Math.min(names.size(), numClasses); l++) {
                        if (!names.name(l).equals(t)) continue;
                        // COCO's label map names its unused ids "N/A": such a name means no one class.
                        if (id >= 0) throw new IllegalArgumentException("classes: '" + t + "' names labels " + id + " and " + l + "; give the id");
                        id = l;
                    }
                    if (id < 0) throw new IllegalArgumentException("classes: unknown class '" + t + "' (not a class name of " + names.source() + ")");
                }
                if (id < 1 || id >= numClasses) throw new IllegalArgumentException("classes: label " + id + " is outside 1.." + (numClasses - 1));
                ids[i] = id;
            }
            return ids;
        }

        /**
         * Builds the detector. Without {@code setArch}, the weights must be a resdet-trained file (its
         * {@link DetectorSpec} rebuilds the network, class names included); without weights either, the bundled
         * demo model ({@link BundledModel}) is used.
         */
        public Detector build() throws CheckpointException {
            if (weights == null && arch != null) throw new IllegalStateException("setWeights is required with setArch");
            Path file = weights != null ? weights : BundledModel.path();
            java.util.Optional<DetectorSpec> spec = ModelFiles.readSpec(file);
            if (arch == null && spec.isEmpty()) {
                throw new CheckpointException(file, "carries no resdet detector spec; give the architecture (--arch)");
            }
            boolean coco = cocoWeights != null ? cocoWeights : isTorchvisionCocoFile(file);
            RoIHeads.HeadsConfig heads;
            LabelMap names;
            int classes;
            if (spec.isPresent()) {
                DetectorSpec sp = spec.get();
                if (arch != null && !arch.equals(sp.arch())) {
                    throw new CheckpointException(file, "holds a " + sp.arch() + ", not the requested " + arch);
                }
                model.fromSpec(sp);
                classes = sp.numClasses();
                names = labels != null ? labels : sp.classNames() != null
                        ? new LabelMap(file.getFileName().toString(), sp.classNames()) : LabelMap.coco();
                heads = sp.heads() != null ? sp.heads() : RoIHeads.HeadsConfig.defaults();
            } else {
                classes = numClasses != null ? numClasses : labels != null ? labels.size() : 91;
                names = labels != null ? labels : classes == 21 ? LabelMap.voc() : LabelMap.coco();
                model.setArch(arch).optNumClasses(classes);
                heads = RoIHeads.HeadsConfig.defaults();
            }
            if (scoreThreshold != null) heads = heads.withScoreThresh(scoreThreshold);
            if (nmsThreshold != null) heads = heads.withNmsThresh(nmsThreshold);
            if (maxDetections != null) heads = heads.withDetectionsPerImg(maxDetections);
            if (this.classes != null) heads = heads.withClassFilter(classIds(this.classes, names, classes));
            if (minSize != null) model.optMinSize(minSize);
            if (maxSize != null) model.optMaxSize(maxSize);
            ai.djl.Device dev = Devices.resolve(device);
            if (half && !dev.isGpu()) {
                throw new IllegalArgumentException("--half needs a GPU: the detector runs on the CPU here (device "
                        + (device == null ? "auto" : device) + "), where float16 convolutions are slower than float32 and gain nothing; drop --half");
            }
            NDManager m = NDManager.newBaseManager(dev);
            try {
                FasterRCNN net = model.optFrozenBnEps(coco ? 0f : 1e-5f).optHeadsConfig(heads).build(m);
                StateDictLoader.Report report = DetectorWeights.load(net, file, strict);
                if (half) net.toHalf();
                else net.optimizeForInference();
                return new Detector(m, net, names, report);
            } catch (RuntimeException | CheckpointException e) {
                m.close();
                throw e;
            }
        }
    }
}
