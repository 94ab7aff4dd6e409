package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `resdet eval run`: detection over a COCO dataset, resumable, evaluated like `eval coco`. */
class EvalRunCommandTest {
    static Path dir;
    static int annotations;

    @BeforeAll
    static void oracle() {
        dir = CocoRunCase.dir();
        annotations = CocoRunCase.annotations();
    }

    private static CliRun run(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("eval", "run", "--arch", "fasterrcnn_resnet18_fpn",
                "--weights", dir.resolve("weights.pth").toString(), "--num-classes", "5", "--min-size", "320",
                "--max-size", "512", "--coco-images", dir.resolve("images").toString(), "--coco-gt",
                dir.resolve("gt.json").toString(), "--out", out.toString(), "--json"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void reproducingTorchvisionScoresPerfectAp() throws Exception {
        assertTrue(annotations > 0, "the oracle should produce confident detections");
        CliRun r = run(dir.resolve("run1"));
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(1.0, o.get("stats").get(0).asDouble(), 1e-9, r.out()); // AP@[.5:.95]
        assertEquals(1.0, o.get("stats").get(1).asDouble(), 1e-9, r.out()); // AP50
        assertTrue(r.err().contains("3/3"), r.err());
    }

    @Test
    void interruptedRunResumesWithoutRedoingImages() throws Exception {
        Path out = dir.resolve("run2");
        CliRun first = run(out, "--limit", "2");
        assertEquals(0, first.code(), first.err());
        Path jsonl = out.resolve("detections.jsonl");
        assertEquals(2, Files.readAllLines(jsonl).size());
        // A kill mid-write leaves a torn line; the rerun drops it and does only the missing image.
        Files.writeString(jsonl, "{\"image_id\":10", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        CliRun second = run(out);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("resuming, 2 of 3"), second.err());
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(3, lines.size());
        assertEquals(3, lines.stream().map(l -> l.substring(0, l.indexOf(','))).distinct().count());
        JsonNode o = new ObjectMapper().readTree(second.out());
        assertEquals(1.0, o.get("stats").get(0).asDouble(), 1e-9);
    }

    @Test
    void vocRunScoresPerfectMap() throws Exception {
        Path voc = dir.resolve("voc");
        // Only classes with GT objects have an AP to speak of (the others score 0 by the devkit's rules).
        java.util.TreeSet<String> present = new java.util.TreeSet<>();
        try (var files = Files.list(voc.resolve("Annotations"))) {
            for (Path f : files.toList()) {
                var m = java.util.regex.Pattern.compile("<name>(\\w+)</name>").matcher(Files.readString(f));
                while (m.find()) present.add(m.group(1));
            }
        }
        assertTrue(present.size() >= 2, "the oracle should give objects of several classes: " + present);
        CliRun r = CliRun.of("eval", "run", "--arch", "fasterrcnn_resnet18_fpn", "--weights", dir.resolve("weights.pth").toString(),
                "--min-size", "320", "--max-size", "512", "--voc-root", voc.toString(), "--voc-set", "test",
                "--labels", voc.resolve("labels.txt").toString(), "--classes", String.join(",", present),
                "--out", dir.resolve("run3").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(1.0, o.get("map").asDouble(), 1e-12, r.out());
        assertEquals(present.size(), o.get("ap").size());
        assertTrue(Files.exists(dir.resolve("run3/detections/comp4_det_test_boat.txt")));
    }

    @Test
    void missingImageFolderIsOneLine() {
        CliRun r = CliRun.of("eval", "run", "--arch", "fasterrcnn_resnet18_fpn", "--weights", dir.resolve("weights.pth").toString(),
                "--coco-images", dir.resolve("nope").toString(), "--coco-gt", dir.resolve("gt.json").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().strip().endsWith("nope: not a directory"), r.err());
    }
}
