package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.detector.DetectorSpec;
import io.resdet.detector.train.DetectorTrainer;
import io.resdet.detector.train.TrainConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code RUN_DIR/run.json}: the settings a run started with. {@code train}/{@code experiment}: the network spec and
 * training configuration; a resume must match them (the checkpoint's tensors and the schedule only make sense for
 * the same run) and a fresh run refuses a folder that already holds one. {@code eval run} resumes by itself, so
 * there a match continues and anything else needs {@code --restart} ({@link #checkOrRestart}).
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
        now = normalized(now);
        if (Files.exists(file)) {
            if (!resume) throw new UserError(out + " already holds a run (run.json); use --resume to continue it, or another --out");
            Mismatch m = firstMismatch((ObjectNode) JSON.readTree(file.toFile()), now);
            if (m != null) {
                throw new UserError(file + ": " + m.field() + " was " + m.was() + ", this --resume gives " + m.now()
                        + "; resume with the run's original options");
            }
            return;
        }
        if (resume) throw new UserError(out + ": nothing to resume (no run.json)");
        write(out, now);
    }

    /**
     * For a command that resumes by itself when rerun ({@code eval run}): the same settings continue the folder's
     * work; other settings, or work without a run.json (an older version's, which nothing can verify), are refused
     * in one line unless {@code restartFlag} was given, which deletes {@code work} and starts afresh.
     *
     * @return whether earlier work is being continued
     */
    static boolean checkOrRestart(Path out, ObjectNode now, boolean restart, String restartFlag, List<Path> work)
            throws IOException {
        Path file = out.resolve("run.json");
        now = normalized(now);
        if (!restart) {
            if (Files.exists(file)) {
                Mismatch m = firstMismatch((ObjectNode) JSON.readTree(file.toFile()), now);
                if (m == null) return true;
                throw new UserError(out + ": " + m.field() + " was " + m.was() + " in its run.json, this run gives " + m.now()
                        + "; rerun with the original options, use another --out, or " + restartFlag + " to discard its results");
            }
            for (Path w : work) {
                if (Files.exists(w)) {
                    throw new UserError(out + ": holds " + out.relativize(w) + " but no run.json (an older resdet's run): "
                            + "nothing says which model and data made it; use another --out, or " + restartFlag + " to discard it");
                }
            }
        }
        for (Path w : work) delete(w);
        write(out, now);
        return false;
    }

    /** Unlike a temp-folder cleanup this must not fail quietly: a detections file left behind would be reused. */
    private static void delete(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    /** A field of the saved run.json that the new settings do not repeat. */
    record Mismatch(String field, JsonNode was, JsonNode now) {}

    /** The first field {@code before} has that {@code now} differs in (one level of parts), or null. */
    static Mismatch firstMismatch(ObjectNode before, ObjectNode now) {
        var parts = before.fieldNames();
        while (parts.hasNext()) {
            String part = parts.next();
            JsonNode a = before.path(part);
            JsonNode b = now.path(part);
            if (!a.isObject()) {
                if (!a.equals(b)) return new Mismatch(part, a, b);
                continue;
            }
            var names = a.fieldNames();
            while (names.hasNext()) {
                String f = names.next();
                if (!a.get(f).equals(b.path(f))) return new Mismatch(part + "." + f, a.get(f), b.path(f));
            }
        }
        return null;
    }

    /** Numbers typed as a re-read file types them, so that a saved 0.5 equals a new 0.5f. */
    private static ObjectNode normalized(ObjectNode now) throws IOException {
        return (ObjectNode) JSON.readTree(JSON.writeValueAsString(now));
    }

    private static void write(Path out, ObjectNode now) throws IOException {
        Files.createDirectories(out);
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("run.json").toFile(), now);
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
