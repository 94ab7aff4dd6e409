package io.resdet.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pretrained weights resdet knows by name: torchvision's Faster R-CNN and ResNet weight enums (URLs, sizes,
 * parameter counts and metrics as torchvision's model definitions publish them) and resdet's own bundled model.
 * {@code RESDET_MODEL_REGISTRY=FILE} adds entries from a JSON list (a site's own models, or test fixtures).
 */
public final class ModelRegistry {
    static final String TV = "https://download.pytorch.org/models/";

    private final Map<String, ModelEntry> entries;

    private ModelRegistry(Map<String, ModelEntry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** The built-in entries, plus those of {@code RESDET_MODEL_REGISTRY} when set. */
    public static ModelRegistry load(Map<String, String> env) throws IOException {
        Map<String, ModelEntry> m = new LinkedHashMap<>();
        for (ModelEntry e : builtIn()) m.put(e.name(), e);
        String extra = env.get("RESDET_MODEL_REGISTRY");
        if (extra != null && !extra.isBlank()) for (ModelEntry e : readFile(Path.of(extra))) m.put(e.name(), e);
        return new ModelRegistry(m);
    }

    public static ModelRegistry builtInOnly() {
        Map<String, ModelEntry> m = new LinkedHashMap<>();
        for (ModelEntry e : builtIn()) m.put(e.name(), e);
        return new ModelRegistry(m);
    }

    public List<ModelEntry> entries() {
        return new ArrayList<>(entries.values());
    }

    /** The entry, or a one-line error listing close names. */
    public ModelEntry get(String name) {
        ModelEntry e = entries.get(name);
        if (e != null) return e;
        List<String> near = new ArrayList<>();
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        for (String n : entries.keySet()) if (n.startsWith(stem + ".") || n.equals(stem)) near.add(n);
        throw new IllegalArgumentException("unknown model '" + name + "'; " + (near.isEmpty()
                ? "'resdet models' lists them" : "did you mean " + String.join(", ", near) + "?"));
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    private static List<ModelEntry> builtIn() {
        List<ModelEntry> l = new ArrayList<>();
        l.add(det("fasterrcnn_resnet50_fpn.coco_v1", "fasterrcnn_resnet50_fpn", "fasterrcnn_resnet50_fpn_coco-258fb6c6.pth",
                159.743, 41_755_286, 37.0));
        l.add(det("fasterrcnn_resnet50_fpn_v2.coco_v1", "fasterrcnn_resnet50_fpn_v2", "fasterrcnn_resnet50_fpn_v2_coco-dd69338a.pth",
                167.104, 43_712_278, 46.7));
        l.add(new ModelEntry("resdet-shapes", "detection", "fasterrcnn_resnet18_fpn", null,
                "io/resdet/detector/models/shapes-resnet18-fpn.safetensors", 0, 0, 4, "background,circle,rectangle,triangle", 0,
                Map.of("box_map_synthetic_val", 75.5)));
        cls(l, "resnet18", "resnet18-f37072fd.pth", 44.661, 11_689_512, 69.758, 89.078, null, 0, 0, 0);
        cls(l, "resnet34", "resnet34-b627a593.pth", 83.275, 21_797_672, 73.314, 91.420, null, 0, 0, 0);
        cls(l, "resnet50", "resnet50-0676ba61.pth", 97.781, 25_557_032, 76.130, 92.862, "resnet50-11ad3fa6.pth", 97.79, 80.858, 95.434);
        cls(l, "resnet101", "resnet101-63fe2227.pth", 170.511, 44_549_160, 77.374, 93.546, "resnet101-cd907fc2.pth", 170.53, 81.886, 95.780);
        cls(l, "resnet152", "resnet152-394f9c45.pth", 230.434, 60_192_808, 78.312, 94.046, "resnet152-f82ba261.pth", 230.474, 82.284, 96.002);
        cls(l, "resnext50_32x4d", "resnext50_32x4d-7cdf4587.pth", 95.789, 25_028_904, 77.618, 93.698,
                "resnext50_32x4d-1a0047aa.pth", 95.833, 81.198, 95.340);
        cls(l, "resnext101_32x8d", "resnext101_32x8d-8ba56ff5.pth", 339.586, 88_791_336, 79.312, 94.526,
                "resnext101_32x8d-110c445d.pth", 339.673, 82.834, 96.228);
        // torchvision publishes only this one for resnext101_64x4d, trained with the new recipe (resize 232).
        l.add(new ModelEntry("resnext101_64x4d.imagenet1k_v1", "classification", "resnext101_64x4d", TV + "resnext101_64x4d-173b62eb.pth",
                null, 319.318, 83_455_272, 1000, "imagenet", 232, Map.of("acc@1", 83.246, "acc@5", 96.454)));
        cls(l, "wide_resnet50_2", "wide_resnet50_2-95faca4d.pth", 131.82, 68_883_240, 78.468, 94.086,
                "wide_resnet50_2-9ba9bcbe.pth", 263.124, 81.602, 95.758);
        cls(l, "wide_resnet101_2", "wide_resnet101_2-32ee1156.pth", 242.896, 126_886_696, 78.848, 94.284,
                "wide_resnet101_2-d733dc28.pth", 484.747, 82.510, 96.020);
        return l;
    }

    private static ModelEntry det(String name, String arch, String file, double mb, long params, double boxMap) {
        return new ModelEntry(name, "detection", arch, TV + file, null, mb, params, 91, "coco", 0, Map.of("box_map", boxMap));
    }

    /** v1 (resize 256, the paper's recipe) and, when published, v2 (resize 232, torchvision's new recipe). */
    private static void cls(List<ModelEntry> l, String arch, String v1, double mb1, long params, double top1, double top5,
                            String v2, double mb2, double top1v2, double top5v2) {
        l.add(new ModelEntry(arch + ".imagenet1k_v1", "classification", arch, TV + v1, null, mb1, params, 1000, "imagenet", 256,
                Map.of("acc@1", top1, "acc@5", top5)));
        if (v2 != null) {
            l.add(new ModelEntry(arch + ".imagenet1k_v2", "classification", arch, TV + v2, null, mb2, params, 1000, "imagenet", 232,
                    Map.of("acc@1", top1v2, "acc@5", top5v2)));
        }
    }

    /** A JSON list of entries: {@code [{"name","task","arch","url","numClasses","labels",...}]}; errors name the file. */
    static List<ModelEntry> readFile(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException(file + ": not a readable JSON model list (" + e.getMessage().split("\n")[0] + ")");
        }
        if (root == null || !root.isArray()) throw new IOException(file + ": expected a JSON list of models");
        List<ModelEntry> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            String where = file + ": entry " + i;
            String name = text(n, "name", where), task = text(n, "task", where), arch = text(n, "arch", where);
            String url = text(n, "url", where);
            if (!task.equals("detection") && !task.equals("classification")) {
                throw new IOException(where + ": task must be detection or classification, got '" + task + "'");
            }
            if (!url.startsWith("http://") && !url.startsWith("https://")) throw new IOException(where + ": url must be http(s), got '" + url + "'");
            Map<String, Double> metrics = new LinkedHashMap<>();
            n.path("metrics").fields().forEachRemaining(f -> metrics.put(f.getKey(), f.getValue().asDouble()));
            out.add(new ModelEntry(name, task, arch, url, null, n.path("megabytes").asDouble(0), n.path("parameters").asLong(0),
                    n.path("numClasses").asInt(task.equals("detection") ? 91 : 1000),
                    n.path("labels").asText(task.equals("detection") ? "coco" : "imagenet"),
                    n.path("resizeSize").asInt(task.equals("detection") ? 0 : 256), metrics));
        }
        return out;
    }

    private static String text(JsonNode n, String field, String where) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw new IOException(where + ": '" + field + "' is required (a string)");
        return v.asText();
    }
}
