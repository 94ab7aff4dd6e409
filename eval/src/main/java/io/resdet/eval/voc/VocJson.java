package io.resdet.eval.voc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's JSON form of a VOC case ({@code voc-eval-gt/1}, {@code voc-eval-dt/1}, described
 * in the fixtures' README): handy for tests and for converting to the devkit layout.
 */
public final class VocJson {
    private VocJson() {
    }

    public static VocGroundTruth readGroundTruth(Path file) {
        JsonNode root = tree(file);
        requireFormat(file, root, "voc-eval-gt/1");
        List<String> classes = strings(file, root, "classes");
        List<String> images = strings(file, root, "images");
        JsonNode objs = root.path("objects");
        Map<String, List<VocObject>> objects = new LinkedHashMap<>();
        for (String img : images) {
            JsonNode list = objs.get(img);
            if (list == null || !list.isArray()) throw new EvalInputException(file + ": objects." + img + " is missing");
            List<VocObject> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode o = list.get(i);
                double[] b = box(file, o.get("bbox"), "objects." + img + "[" + i + "].bbox");
                out.add(new VocObject(o.path("class").asText(), b[0], b[1], b[2], b[3], o.path("difficult").asInt(0) != 0));
            }
            objects.put(img, out);
        }
        return new VocGroundTruth(images, objects, classes);
    }

    /** Detections per class, keeping the file's order. */
    public static Map<String, VocDetections> readDetections(Path file) {
        JsonNode root = tree(file);
        requireFormat(file, root, "voc-eval-dt/1");
        Map<String, VocDetections> out = new LinkedHashMap<>();
        root.path("detections").fields().forEachRemaining(e -> {
            JsonNode list = e.getValue();
            List<String> ids = new ArrayList<>();
            double[] score = new double[list.size()], box = new double[4 * list.size()];
            for (int i = 0; i < list.size(); i++) {
                JsonNode d = list.get(i);
                ids.add(d.path("image_id").asText());
                score[i] = d.path("score").asDouble();
                double[] b = box(file, d.get("bbox"), "detections." + e.getKey() + "[" + i + "].bbox");
                System.arraycopy(b, 0, box, 4 * i, 4);
            }
            out.put(e.getKey(), new VocDetections(List.copyOf(ids), score, box));
        });
        return out;
    }

    private static JsonNode tree(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new EvalInputException(file + ": " + e.getMessage().lines().findFirst().orElse("cannot read"), e);
        }
    }

    private static void requireFormat(Path file, JsonNode root, String format) {
        if (!format.equals(root.path("format").asText())) {
            throw new EvalInputException(file + ": \"format\" must be \"" + format + "\"");
        }
    }

    private static List<String> strings(Path file, JsonNode root, String field) {
        JsonNode a = root.get(field);
        if (a == null || !a.isArray()) throw new EvalInputException(file + ": \"" + field + "\" must be a list");
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static double[] box(Path file, JsonNode b, String what) {
        if (b == null || !b.isArray() || b.size() != 4) throw new EvalInputException(file + ": " + what + " must be [x1, y1, x2, y2]");
        return new double[] {b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble()};
    }
}
