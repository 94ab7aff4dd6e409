package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code resdet train} as a user runs it: the learning test (a small generated set is learnt to COCO AP50 ≥ 0.9,
 * measured by the eval module), the run folder, resume rules, fine-tuning to another class count, bad input, and
 * the exported weights loading into torchvision with the same detections.
 */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path root;
    static Path data, run;
    static JsonNode summary;

    @BeforeAll
    static void learn() throws Exception {
        data = root.resolve("shapes");
        CliRun gen = CliRun.of("data", "synth", "--out", data.toString(), "--images", "12", "--val", "4", "--classes", "2",
                "--size", "128", "--max-objects", "3", "--seed", "3");
        assertEquals(0, gen.code(), gen.err());
        run = root.resolve("run");
        // Overfitting: validation on the training images themselves.
        CliRun r = CliRun.of("train", "--data", data.toString(), "--val", "coco:" + data.resolve("annotations/instances_train.json") + ":"
                        + data.resolve("train"), "--preset", "shapes", "--min-size", "128", "--max-size", "128", "--out", run.toString(),
                "--iterations", "160", "--batch", "4", "--lr", "0.02", "--warmup", "30", "--milestones", "0.75", "--val-every", "80",
                "--samples", "2", "--seed", "1", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        summary = JSON.readTree(r.out().strip());
    }

    @Test
    void learnsASmallSetToAp50AboveNinety() {
        System.out.println("learning test: " + summary);
        assertTrue(summary.get("validation").get("AP50").asDouble() >= 0.9, "AP50 " + summary.get("validation"));
        assertEquals(160, summary.get("iterations").asInt());
        assertTrue(summary.get("completed").asBoolean());
    }

    @Test
    void runFolderHoldsCurvesSamplesAndModels() throws Exception {
        for (String f : new String[] {"metrics.csv", "curves.png", "model.safetensors", "best.safetensors", "run.json",
                "samples/val_000.png", "checkpoint/checkpoint.safetensors", "checkpoint/checkpoint.json"}) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertEquals(161, Files.readAllLines(run.resolve("metrics.csv")).size());
    }

    @Test
    void resumeNeedsTheSameOptionsAndAFreshRunNeedsAFreshFolder() throws Exception {
        Path out = root.resolve("resume");
        String[] base = {"train", "--data", data.toString(), "--preset", "shapes", "--min-size", "96", "--max-size", "96",
                "--out", out.toString(), "--iterations", "3", "--batch", "2", "--val-images", "2", "--samples", "0"};
        CliRun capped = CliRun.of(concat(base, "--minutes", "0.00001"));
        assertEquals(0, capped.code(), capped.err());
        assertTrue(capped.out().contains("\"completed\":false"), capped.out());
        CliRun again = CliRun.of(base);
        assertEquals(2, again.code());
        assertTrue(again.lastErrLine().contains("already holds a run"), again.lastErrLine());
        CliRun changed = CliRun.of(concat(base, "--resume", "--lr", "0.5"));
        assertEquals(2, changed.code());
        assertTrue(changed.lastErrLine().contains("config.lr"), changed.lastErrLine());
        CliRun resumed = CliRun.of(concat(base, "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("\"completed\":true"), resumed.out());
    }

    @Test
    void fineTunesToAnotherClassCount() throws Exception {
        Path three = root.resolve("shapes3");
        assertEquals(0, CliRun.of("data", "synth", "--out", three.toString(), "--images", "4", "--val", "2", "--classes", "3",
                "--size", "96", "--seed", "9").code());
        CliRun r = CliRun.of("train", "--data", three.toString(), "--weights", run.resolve("model.safetensors").toString(),
                "--norm", "batchnorm", "--trainable-layers", "5", "--out", root.resolve("finetune").toString(), "--iterations", "2",
                "--batch", "2", "--samples", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("roi_heads.box_predictor"), "the replaced predictor is reported: " + r.err());
    }

    @Test
    void badInputIsOneLineWithTheFileOrOption() {
        CliRun missing = CliRun.of("train", "--data", root.resolve("nope").toString(), "--out", root.resolve("x").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.lastErrLine().contains("nope"), missing.lastErrLine());
        CliRun sched = CliRun.of("train", "--data", data.toString(), "--out", root.resolve("y").toString(), "--schedule", "linear");
        assertEquals(2, sched.code());
        assertTrue(sched.lastErrLine().contains("schedule"), sched.lastErrLine());
    }

    @Test
    void exportedWeightsLoadInTorchvisionAndDetectTheSame() throws Exception {
        Path image = data.resolve("train/000001.png");
        JsonNode theirs = JSON.readTree(Oracle.run(Oracle.resource("/torchvision_load_resdet.py"),
                run.resolve("model.safetensors").toString(), image.toString()).strip());
        CliRun ours = CliRun.of("detect", "--weights", run.resolve("model.safetensors").toString(), image.toString());
        assertEquals(0, ours.code(), ours.err());
        JsonNode mine = JSON.readTree(ours.out().strip()).get("detections");
        assertTrue(theirs.size() > 0, "torchvision finds the shapes");
        assertEquals(theirs.size(), mine.size(), "detections: torchvision " + theirs + " resdet " + mine);
        for (int i = 0; i < theirs.size(); i++) {
            assertEquals(theirs.get(i).get("label").asInt(), mine.get(i).get("label").asInt());
            assertEquals(theirs.get(i).get("score").asDouble(), mine.get(i).get("score").asDouble(), 1e-3);
            for (int k = 0; k < 4; k++) {
                assertEquals(theirs.get(i).get("box").get(k).asDouble(), mine.get(i).get("box").get(k).asDouble(), 0.05);
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
