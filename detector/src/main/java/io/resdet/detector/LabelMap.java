package io.resdet.detector;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Class names by label id. {@code coco}: torchvision's 91 ids (0 background, "N/A" for the ids COCO
 * skips), which are COCO's own category ids. {@code voc}: background + the 20 PASCAL VOC classes. A file:
 * one name per line, line i is label i (line 0 the background).
 */
public record LabelMap(String source, List<String> names) {
    public static LabelMap coco() {
        return resource("coco", "coco_categories.txt");
    }

    public static LabelMap voc() {
        return resource("voc", "voc_classes.txt");
    }

    /** {@code coco}, {@code voc}, or a path to a names file. */
    public static LabelMap parse(String spec) throws IOException {
        if (spec.equalsIgnoreCase("coco")) return coco();
        if (spec.equalsIgnoreCase("voc")) return voc();
        Path p = Path.of(spec);
        if (!Files.isRegularFile(p)) throw new IOException(spec + ": not 'coco', 'voc' or a readable labels file");
        List<String> names = Files.readAllLines(p, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) throw new IOException(spec + ": empty labels file");
        return new LabelMap(spec, names);
    }

    public String name(int label) {
        return label >= 0 && label < names.size() ? names.get(label) : Integer.toString(label);
    }

    public int size() {
        return names.size();
    }

    private static LabelMap resource(String name, String file) {
        try (InputStream in = LabelMap.class.getResourceAsStream(file)) {
            return new LabelMap(name, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isEmpty()).toList());
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing resource " + file, e);
        }
    }
}
