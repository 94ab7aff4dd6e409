package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.detector.DetectorSpec;
import io.resdet.detector.train.DetectorTrainer;
import io.resdet.detector.train.TrainConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code RUN_DIR/run.json}: the network spec and training configuration a run started with. A resume must
 * match them (the checkpoint's tensors and the schedule only make sense for the same run); a fresh run refuses a
 * folder that already holds one.
 */
final class RunFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFile() {}

    static void check(Path out, boolean resume, DetectorSpec spec, TrainConfig cfg) throws IOException {
        ObjectNode now = JSON.createObjectNode();
        now.set("spec", JSON.readTree(spec.toJson()));
        ObjectNode c = JSON.valueToTree(cfg);
        for (String volatileField : new String[] {"out", "resume", "minutes", "workers", "validateEvery", "validateImages",
                "sampleImages", "checkpointEvery"}) c.remove(volatileField);
        now.set("config", c);
        check(out, resume, now);
    }

    /**
     * The general form: {@code now} holds the settings a resume must repeat, one object per part; every field the
     * saved file has must be equal.
     */
    static void check(Path out, boolean resume, ObjectNode now) throws IOException {
        Path file = out.resolve("run.json");
        now = (ObjectNode) JSON.readTree(JSON.writeValueAsString(now)); // numbers typed as a re-read file types them
        if (Files.exists(file)) {
            if (!resume) throw new UserError(out + " already holds a run (run.json); use --resume to continue it, or another --out");
            ObjectNode before = (ObjectNode) JSON.readTree(file.toFile());
            var parts = before.fieldNames();
            while (parts.hasNext()) {
                String part = parts.next();
                var a = before.path(part);
                var b = now.path(part);
                if (!a.isObject()) {
                    if (!a.equals(b)) throw mismatch(file, part, a, b);
                    continue;
                }
                var names = a.fieldNames();
                while (names.hasNext()) {
                    String f = names.next();
                    if (!a.get(f).equals(b.path(f))) throw mismatch(file, part + "." + f, a.get(f), b.path(f));
                }
            }
            return;
        }
        if (resume) throw new UserError(out + ": nothing to resume (no run.json)");
        Files.createDirectories(out);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), now);
    }

    private static UserError mismatch(Path file, String field, Object was, Object now) {
        return new UserError(file + ": " + field + " was " + was + ", this --resume gives " + now
                + "; resume with the run's original options");
    }

    static String summaryJson(DetectorTrainer.Summary s, Path out) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("run", out.toString());
        n.put("iterations", s.iterations());
        n.put("completed", s.completed());
        n.put("train_seconds", Math.round(s.trainSeconds() * 10) / 10.0);
        n.put("images_per_s", Math.round(s.imagesPerSecond() * 100) / 100.0);
        n.set("validation", JSON.valueToTree(s.lastValidation()));
        n.set("best", JSON.valueToTree(s.bestValidation()));
        n.put("best_iteration", s.bestIteration());
        n.put("model", s.model().toString());
        return JSON.writeValueAsString(n);
    }
}
