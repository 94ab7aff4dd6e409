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
        return run(dir.resolve("weights.pth"), dir.resolve("images"), out, extra);
    }

    private static CliRun run(Path weights, Path images, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("eval", "run", "--arch", "fasterrcnn_resnet18_fpn",
                "--weights", weights.toString(), "--num-classes", "5", "--min-size", "320",
                "--max-size", "512", "--coco-images", images.toString(), "--coco-gt",
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

    /** Runs `eval coco` on the GT cut to {@code keep} (categories kept) and a run's results.json. */
    private static JsonNode evalCocoOnCut(Path out, java.util.Set<Long> keep) throws Exception {
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode gt = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(dir.resolve("gt.json").toFile());
        var images = json.createArrayNode();
        var anns = json.createArrayNode();
        for (JsonNode im : gt.get("images")) if (keep.contains(im.get("id").asLong())) images.add(im);
        for (JsonNode a : gt.get("annotations")) if (keep.contains(a.get("image_id").asLong())) anns.add(a);
        gt.set("images", images);
        gt.set("annotations", anns);
        Path cut = out.resolve("gt_cut.json");
        json.writeValue(cut.toFile(), gt);
        CliRun r = CliRun.of("eval", "coco", "--gt", cut.toString(), "--dt", out.resolve("results.json").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        return json.readTree(r.out());
    }

    @Test
    void limitIsEvaluatedOnTheImagesItRan() throws Exception {
        Path out = dir.resolve("run-limit");
        CliRun r = run(out, "--limit", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("resdet eval run: the evaluation covers 2 of 3 images (--limit 2)"), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        // the GT's first two images are 100 and 101; the third's GT objects were never looked for
        assertEquals(evalCocoOnCut(out, java.util.Set.of(100L, 101L)), o);
        assertEquals(1.0, o.get("stats").get(0).asDouble(), 1e-9, r.out());
    }

    @Test
    void anImageThatFailsToDecodeCountsWithNoDetections() throws Exception {
        Path images = dir.resolve("images-one-broken");
        Files.createDirectories(images);
        for (String f : List.of("100.png", "102.png")) Files.copy(dir.resolve("images").resolve(f), images.resolve(f));
        Files.writeString(images.resolve("101.png"), "not a png");
        Path out = dir.resolve("run-broken");
        CliRun r = run(dir.resolve("weights.pth"), images, out);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("resdet eval run: the evaluation covers 3 of 3 images\n"), r.err());
        assertTrue(r.err().contains("resdet eval run: 1 images failed (unreadable, or the detector failed on them); they count in the evaluation, as images with no detections"),
                r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(evalCocoOnCut(out, java.util.Set.of(100L, 101L, 102L)), o);
        assertTrue(o.get("stats").get(8).asDouble() < 1.0, "image 101's objects are missed: " + r.out()); // AR@100
    }

    @Test
    void anotherModelInTheSameFolderIsRefusedUnlessRestart() throws Exception {
        Path out = dir.resolve("run-models");
        CliRun first = run(out, "--limit", "1");
        assertEquals(0, first.code(), first.err());
        JsonNode saved = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(dir.resolve("weights.pth")))), saved.get("model").get("weights_sha256").asText());

        // the same network with its box regression tripled: another model, other boxes
        Path other = dir.resolve("other.pth");
        io.resdet.testing.Oracle.run("""
                import sys, torch
                sd = torch.load(sys.argv[1])
                sd["roi_heads.box_predictor.bbox_pred.weight"].mul_(3.0)
                torch.save(sd, sys.argv[2])
                """, dir.resolve("weights.pth").toString(), other.toString());
        Path images = dir.resolve("images");
        CliRun refused = run(other, images, out, "--limit", "1");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.lastErrLine().startsWith("resdet eval run: " + out + ": model.weights_sha256 was \""
                + saved.get("model").get("weights_sha256").asText() + "\" in its run.json, this run gives \""), refused.err());
        assertTrue(refused.lastErrLine().endsWith("or --restart to discard its results"), refused.err());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());

        CliRun batch = run(out, "--batch", "2", "--limit", "1");
        assertEquals(2, batch.code(), batch.err());
        assertTrue(batch.lastErrLine().contains(": model.batch was 1 in its run.json, this run gives 2;"), batch.err());
        CliRun kafka = CliRun.of("eval", "run", "--via-kafka", "localhost:1", "--coco-images", dir.resolve("images").toString(),
                "--coco-gt", dir.resolve("gt.json").toString(), "--out", out.toString());
        assertEquals(2, kafka.code(), kafka.err());
        assertTrue(kafka.lastErrLine().contains(": model.mode was \"local\" in its run.json, this run gives \"via-kafka\";"), kafka.err());

        CliRun restarted = run(other, images, out, "--limit", "1", "--restart");
        assertEquals(0, restarted.code(), restarted.err());
        assertTrue(!restarted.err().contains("resuming"), restarted.err());
        CliRun fresh = run(other, images, dir.resolve("run-other"), "--limit", "1");
        assertEquals(0, fresh.code(), fresh.err());
        assertEquals(fresh.out(), restarted.out(), "--restart gives the new model's numbers, as a fresh folder does");
        assertTrue(!fresh.out().equals(first.out()), "the two models should score differently: " + fresh.out());
        assertEquals(Files.readAllLines(dir.resolve("run-other/detections.jsonl")), Files.readAllLines(out.resolve("detections.jsonl")));
    }

    @Test
    void aFolderWithDetectionsButNoRunFileIsRefusedUnlessRestart() throws Exception {
        Path out = dir.resolve("run-old");
        Files.createDirectories(out);
        // what an older resdet left: detections of unknown provenance
        Files.writeString(out.resolve("detections.jsonl"), "{\"image_id\":\"100\",\"detections\":[]}\n");
        CliRun r = run(out, "--limit", "1");
        assertEquals(2, r.code(), r.err());
        assertEquals("resdet eval run: " + out + ": holds detections.jsonl but no run.json (an older resdet's run): nothing says "
                + "which model and data made it; use another --out, or --restart to discard it", r.lastErrLine());
        assertTrue(Files.notExists(out.resolve("run.json")));

        r = run(out, "--limit", "1", "--restart");
        assertEquals(0, r.code(), r.err());
        assertEquals(1.0, new ObjectMapper().readTree(r.out()).get("stats").get(0).asDouble(), 1e-9, r.out());
        assertTrue(Files.exists(out.resolve("run.json")));
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
    void vocLimitIsEvaluatedOnTheImagesItRan() throws Exception {
        Path voc = dir.resolve("voc");
        List<String> set = Files.readAllLines(voc.resolve("ImageSets/Main/test.txt")).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(3, set.size());
        Files.write(voc.resolve("ImageSets/Main/first2.txt"), set.subList(0, 2));
        String classes = "aeroplane,bicycle,bird,boat";
        Path out = dir.resolve("run-voc-limit");
        CliRun r = CliRun.of("eval", "run", "--arch", "fasterrcnn_resnet18_fpn", "--weights", dir.resolve("weights.pth").toString(),
                "--min-size", "320", "--max-size", "512", "--voc-root", voc.toString(), "--voc-set", "test",
                "--labels", voc.resolve("labels.txt").toString(), "--classes", classes, "--limit", "2",
                "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("the evaluation covers 2 of 3 images (--limit 2)"), r.err());
        // the devkit on a set of just those two images, with the run's detection files
        CliRun devkit = CliRun.of("eval", "voc", "--root", voc.toString(), "--set", "first2", "--detections",
                out.resolve("detections").toString(), "--classes", classes, "--json");
        assertEquals(0, devkit.code(), devkit.err());
        assertEquals(new ObjectMapper().readTree(devkit.out()), new ObjectMapper().readTree(r.out()));
    }

    @Test
    void missingImageFolderIsOneLine() {
        CliRun r = CliRun.of("eval", "run", "--arch", "fasterrcnn_resnet18_fpn", "--weights", dir.resolve("weights.pth").toString(),
                "--coco-images", dir.resolve("nope").toString(), "--coco-gt", dir.resolve("gt.json").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().strip().endsWith("nope: not a directory"), r.err());
    }
}
