package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.detector.LabelMap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What {@code eval run}'s run.json records: everything that decides an image's detections, so that a rerun into
 * the same folder continues only the same run. {@code --limit} is left out on purpose: an image's detections do
 * not depend on it, and growing a quick look into a full run is what resuming is for; the evaluation covers each
 * invocation's own images. {@code --device} is left out too (CPU and GPU differ in float noise only, and a run
 * may move). With {@code --via-kafka} the model is the service's: only the broker and topics can be checked,
 * not which weights the service loaded.
 */
final class EvalRunSettings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalRunSettings() {}

    static ObjectNode of(EvalRunCommand c, LabelMap names) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode model = root.putObject("model");
        if (c.bootstrap() != null) {
            model.put("mode", "via-kafka");
            model.put("bootstrap", c.bootstrap());
            model.put("frames_topic", c.frames.get());
            model.put("results_topic", c.results.get());
        } else {
            model.put("mode", "local");
            model.put("weights_sha256", sha256(c.model.weights));
            model.put("arch", c.model.arch);
            model.put("num_classes", c.model.numClasses);
            model.put("min_size", c.detection.minSize);
            model.put("max_size", c.detection.maxSize);
            model.put("score_threshold", c.detection.scoreThreshold);
            model.put("nms_iou", c.detection.nmsIou);
            model.put("max_detections", c.detection.maxDetections);
            model.put("classes", c.detection.classes == null ? null : String.join(",", c.detection.classes));
            model.put("batch", c.batch()); // padding to the batch's largest image moves boxes a little
        }
        if (names == null) model.putNull("labels");
        else names.names().forEach(model.withArray("labels")::add);
        ObjectNode data = root.putObject("dataset");
        if (c.vocRoot != null) {
            data.put("voc_root", c.vocRoot.toAbsolutePath().normalize().toString());
            data.put("voc_set", c.vocSet);
        } else {
            // the GT maps image ids to file names: another GT file gives the same ids other pictures
            data.put("coco_gt_sha256", sha256(c.gt));
            data.put("coco_images", c.images.toAbsolutePath().normalize().toString());
        }
        return root;
    }

    /** Streamed: a weights file can be gigabytes. */
    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
