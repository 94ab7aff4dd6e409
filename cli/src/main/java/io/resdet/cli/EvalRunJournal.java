package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.detector.Detection;
import io.resdet.eval.coco.CocoImages;
import io.resdet.eval.coco.CocoResultsWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code eval run}'s journal, {@code detections.jsonl}: one JSON line per finished image, written by the local pass
 * ({@link EvalRunLocalPass}) or the Kafka pass ({@link EvalRunKafkaPass}). The file is the resume point: a rerun skips
 * every image already in it (a torn last line from a kill is dropped), so an interrupted run continues where it
 * stopped. It also turns the journal into COCO results or VOC devkit files.
 */
final class EvalRunJournal {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Outcome(int images, int skipped, int failed) {}

    /** One image of the dataset: its id in the dataset's own terms (COCO number, VOC name) and its file. */
    record Item(String id, Path file) {}

    private EvalRunJournal() {}

    static List<Item> cocoItems(List<CocoImages.Image> images, Path dir) {
        return images.stream().map(i -> new Item(Long.toString(i.id()), dir.resolve(i.fileName()))).toList();
    }

    static String line(String imageId, List<Detection> dets) {
        ObjectNode o = JSON.createObjectNode();
        o.put("image_id", imageId);
        ArrayNode a = o.putArray("detections");
        for (Detection d : dets) {
            ObjectNode x = a.addObject();
            x.put("label", d.label());
            x.put("score", d.score());
            ArrayNode b = x.putArray("box");
            for (float v : d.box()) b.add(v);
        }
        return o.toString();
    }

    /** The images of {@code images} that {@code jsonl} has already (it may hold more: an earlier, longer run's). */
    static Set<String> finishedIds(Path jsonl, List<Item> images) throws IOException {
        Set<String> wanted = new HashSet<>();
        for (Item im : images) wanted.add(im.id());
        Set<String> done = finishedIds(jsonl);
        done.retainAll(wanted);
        return done;
    }

    static Set<String> finishedIds(Path jsonl) throws IOException {
        Set<String> ids = new HashSet<>();
        if (!Files.exists(jsonl)) return ids;
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        List<String> good = new ArrayList<>();
        for (String l : lines) {
            try {
                JsonNode n = JSON.readTree(l);
                if (n != null && n.has("image_id") && n.has("detections")) {
                    ids.add(n.get("image_id").asText());
                    good.add(l);
                }
            } catch (IOException torn) {
                // a line cut short by a kill: that image is simply done again
            }
        }
        if (good.size() != lines.size()) Files.write(jsonl, good, StandardCharsets.UTF_8);
        return ids;
    }

    /**
     * Converts the finished run into a COCO results file. Detector labels are COCO category ids; labels the
     * GT has no category for (torchvision's "N/A" slots) are left out and counted; so are images not in
     * {@code images} (not this run's, left by an earlier, longer one).
     */
    static int[] writeCocoResults(Path jsonl, Path results, Set<Long> categories, Set<String> images) throws IOException {
        int n = 0, dropped = 0;
        try (CocoResultsWriter w = new CocoResultsWriter(results)) {
            for (String l : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                JsonNode o = JSON.readTree(l);
                if (!images.contains(o.get("image_id").asText())) continue;
                long id = o.get("image_id").asLong();
                for (JsonNode d : o.get("detections")) {
                    if (!categories.contains(d.get("label").asLong())) {
                        dropped++;
                        continue;
                    }
                    JsonNode b = d.get("box");
                    double x1 = b.get(0).asDouble(), y1 = b.get(1).asDouble();
                    w.add(id, d.get("label").asLong(), x1, y1, b.get(2).asDouble() - x1, b.get(3).asDouble() - y1,
                            d.get("score").asDouble());
                    n++;
                }
            }
        }
        return new int[] {n, dropped};
    }

    /**
     * Writes devkit detection files {@code comp4_det_<set>_<class>.txt} ({@code id score x1 y1 x2 y2}), one per
     * class in {@code names} (index = label), with the devkit's 1-based pixel coordinates (+1, as
     * py-faster-rcnn writes them). Only the images in {@code images}.
     */
    static int writeVocDetections(Path jsonl, Path dir, String set, List<String> names, Set<String> images) throws IOException {
        Files.createDirectories(dir);
        java.util.Map<Integer, StringBuilder> perClass = new java.util.TreeMap<>();
        int n = 0;
        for (String l : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            JsonNode o = JSON.readTree(l);
            String id = o.get("image_id").asText();
            if (!images.contains(id)) continue;
            for (JsonNode d : o.get("detections")) {
                int label = d.get("label").asInt();
                if (label <= 0 || label >= names.size()) continue;
                JsonNode b = d.get("box");
                perClass.computeIfAbsent(label, k -> new StringBuilder()).append(String.format(java.util.Locale.ROOT,
                        "%s %.6f %.2f %.2f %.2f %.2f%n", id, d.get("score").asDouble(), b.get(0).asDouble() + 1,
                        b.get(1).asDouble() + 1, b.get(2).asDouble() + 1, b.get(3).asDouble() + 1));
                n++;
            }
        }
        for (int label = 1; label < names.size(); label++) {
            StringBuilder sb = perClass.getOrDefault(label, new StringBuilder());
            Files.writeString(dir.resolve("comp4_det_" + set + "_" + names.get(label) + ".txt"), sb, StandardCharsets.UTF_8);
        }
        return n;
    }
}
