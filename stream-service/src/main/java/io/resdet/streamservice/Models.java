package io.resdet.streamservice;

import ai.djl.ndarray.NDManager;
import io.resdet.detector.Detection;
import io.resdet.detector.Detector;
import io.resdet.detector.FasterRCNN;
import io.resdet.detector.FasterRCNNs;
import io.resdet.detector.LabelMap;
import io.resdet.detector.RegionProposalNetwork;
import io.resdet.image.RgbImage;
import io.resdet.io.CheckpointException;
import io.resdet.nn.Weights;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Builds the service's {@link FrameDetector} from the {@code model} section of the config. */
public final class Models {
    private static final Logger LOG = LoggerFactory.getLogger(Models.class);

    private Models() {}

    /** The small untrained model of {@code demo} and the tests: ResNet-18 FPN, 3 classes, 128–160 px, few proposals. */
    public static final JsonObject TINY = new JsonObject()
            .put("arch", "fasterrcnn_resnet18_fpn").put("num-classes", 4).put("labels", "background,red,green,blue")
            .put("min-size", 128).put("max-size", 160).put("representation-size", 128).put("rpn-proposals", 100)
            .put("score-threshold", 0.3);

    /** Writes random weights for {@link #TINY} (seeded by DJL's default initialiser) to {@code file}. */
    public static Path writeTinyWeights(Path file) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN net = FasterRCNNs.builder().setArch(TINY.getString("arch")).optNumClasses(TINY.getInteger("num-classes"))
                    .optRepresentationSize(TINY.getInteger("representation-size")).build(m);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Weights.exportSafetensors(net, file, Map.of("resdet.note", "untrained: random weights for demos and tests"));
        } catch (CheckpointException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * {@code arch}, {@code weights} (default: the bundled demo model), {@code num-classes}, {@code labels} ({@code coco}, {@code voc}, a file,
     * or comma-separated names), {@code min-size}, {@code max-size}, {@code representation-size},
     * {@code rpn-proposals}, {@code score-threshold}, {@code device}, {@code half}.
     */
    public static FrameDetector fromConfig(JsonObject c) throws IOException {
        String weights = c.getString("weights");
        Path w = weights == null || weights.isBlank() ? null : Path.of(weights);
        if (w != null && !Files.isRegularFile(w)) throw new IOException(weights + ": no such weights file");
        String arch = c.getString("arch");
        // A resdet-trained file carries its network; other checkpoints are torchvision's ResNet-50 FPN unless told.
        if (arch == null && w != null && io.resdet.detector.ModelFiles.readSpecQuietly(w).isEmpty()) arch = "fasterrcnn_resnet50_fpn";
        if (w == null) weights = io.resdet.detector.BundledModel.NAME;
        Detector.Builder b = Detector.builder().setArch(arch).setWeights(w);
        String labels = c.getString("labels");
        if (labels != null) {
            LabelMap lm = labels.contains(",") ? new LabelMap("config", List.of(labels.split(",")))
                    : LabelMap.parse(labels);
            b.optLabels(lm);
        }
        if (c.containsKey("num-classes")) b.optNumClasses(c.getInteger("num-classes"));
        if (c.containsKey("min-size")) b.optMinSize(c.getInteger("min-size"));
        if (c.containsKey("max-size")) b.optMaxSize(c.getInteger("max-size"));
        if (c.containsKey("representation-size")) b.optRepresentationSize(c.getInteger("representation-size"));
        if (c.containsKey("rpn-proposals")) {
            int n = c.getInteger("rpn-proposals");
            b.optRpnConfig(RegionProposalNetwork.RpnConfig.builder().optPreNmsTopN(2 * n, 2 * n).optPostNmsTopN(n, n).build());
        }
        if (c.containsKey("score-threshold")) b.optScoreThreshold(c.getFloat("score-threshold"));
        if (c.containsKey("nms-iou")) b.optNmsThreshold(c.getDouble("nms-iou"));
        if (c.containsKey("max-detections")) b.optMaxDetections(c.getInteger("max-detections"));
        if (c.containsKey("classes")) b.optClasses(List.of(c.getString("classes").split(",")));
        if (c.containsKey("device")) b.optDevice(c.getString("device"));
        if (c.getBoolean("half", false)) b.optHalf(true);
        Detector d;
        try {
            d = b.build();
        } catch (CheckpointException e) {
            String msg = String.valueOf(e.getMessage());
            throw new IOException(msg.startsWith(weights) ? msg : weights + ": " + msg, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model: " + e.getMessage(), e);
        }
        String name = c.getString("name", w == null ? "resdet-shapes (bundled)" : (arch != null ? arch : d.model().name()) + ":" + w.getFileName());
        return new FrameDetector() {
            @Override
            public List<List<Detection>> detect(List<RgbImage> frames) {
                return d.detect(frames);
            }

            @Override
            public String modelName() {
                return name;
            }

            @Override
            public void close() {
                d.close();
            }
        };
    }

    /**
     * Runs two detections on a noise frame before the service consumes anything: the first calls pay for libtorch's
     * lazy set-up and the JIT (seconds on a CPU), and frames queued behind them would pass the lag limit and be
     * skipped.
     */
    static void warmUp(FrameDetector det) {
        byte[] px = new byte[320 * 240 * 3];
        new java.util.Random(0).nextBytes(px);
        RgbImage frame = new RgbImage(320, 240, px);
        long t0 = System.nanoTime();
        for (int i = 0; i < 2; i++) det.detect(List.of(frame));
        LOG.info("model warmed up in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
}
