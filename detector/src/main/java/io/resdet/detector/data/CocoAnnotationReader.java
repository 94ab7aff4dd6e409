package io.resdet.detector.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the parts of a COCO instances file that detection training needs. Streams the top level and materialises
 * one array element at a time, so {@code instances_train2017.json} (450 MB, mostly segmentation polygons) does not
 * become a multi-gigabyte tree.
 */
final class CocoAnnotationReader {
    record Image(long id, String fileName, int width, int height) {}

    record Annotation(long imageId, long categoryId, double x, double y, double w, double h, boolean crowd) {}

    record Category(long id, String name) {}

    record Contents(List<Image> images, List<Annotation> annotations, List<Category> categories) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private CocoAnnotationReader(Path file) {
        this.file = file;
    }

    static Contents read(Path file) throws IOException {
        return new CocoAnnotationReader(file).read();
    }

    private Contents read() throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such annotation file");
        List<Image> images = null;
        List<Annotation> anns = null;
        List<Category> cats = null;
        JsonFactory f = JSON.getFactory();
        try (JsonParser p = f.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad("the top level is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "images" -> images = readArray(p, t, field, this::image);
                    case "annotations" -> anns = readArray(p, t, field, this::annotation);
                    case "categories" -> cats = readArray(p, t, field, this::category);
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            var at = e.getLocation();
            throw new IOException(file + ": malformed JSON" + (at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr())
                    + ": " + msg);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such annotation file");
        }
        if (images == null) throw bad("no 'images' array");
        if (anns == null) throw bad("no 'annotations' array");
        if (cats == null) throw bad("no 'categories' array");
        return new Contents(images, anns, cats);
    }

    private interface Element<T> {
        T parse(JsonNode node, String at) throws IOException;
    }

    private <T> List<T> readArray(JsonParser p, JsonToken t, String field, Element<T> element) throws IOException {
        if (t != JsonToken.START_ARRAY) throw bad("'" + field + "' is not an array");
        List<T> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String at = field + "[" + out.size() + "]";
            JsonNode node = p.readValueAsTree();
            if (node == null || !node.isObject()) throw bad(at + " is not an object");
            out.add(element.parse(node, at));
        }
        return out;
    }

    private Image image(JsonNode n, String at) throws IOException {
        long id = integral(n, "id", at);
        String name = text(n, "file_name", at + " (id " + id + ")");
        long w = integral(n, "width", at + " (id " + id + ")"), h = integral(n, "height", at + " (id " + id + ")");
        if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw bad(at + " (id " + id + "): size " + w + "x" + h + " is not positive");
        }
        return new Image(id, name, (int) w, (int) h);
    }

    private Annotation annotation(JsonNode n, String at) throws IOException {
        JsonNode idNode = n.get("id");
        String where = idNode != null && idNode.canConvertToLong() ? at + " (id " + idNode.asLong() + ")" : at;
        long image = integral(n, "image_id", where), cat = integral(n, "category_id", where);
        JsonNode b = n.get("bbox");
        if (b == null) throw bad(where + ": missing field 'bbox'");
        if (!b.isArray() || b.size() != 4) throw bad(where + ": 'bbox' is not [x, y, width, height]");
        for (JsonNode v : b) if (!v.isNumber()) throw bad(where + ": 'bbox' holds a non-number: " + b);
        // pycocotools-written files always carry iscrowd; hand-made ones often omit it, meaning a plain object
        JsonNode crowd = n.get("iscrowd");
        if (crowd != null && !crowd.isIntegralNumber() && !crowd.isBoolean()) throw bad(where + ": 'iscrowd' is not 0 or 1");
        boolean isCrowd = crowd != null && (crowd.isBoolean() ? crowd.asBoolean() : crowd.asLong() != 0);
        return new Annotation(image, cat, b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble(), isCrowd);
    }

    private Category category(JsonNode n, String at) throws IOException {
        long id = integral(n, "id", at);
        return new Category(id, text(n, "name", at + " (id " + id + ")"));
    }

    private long integral(JsonNode n, String field, String at) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw bad(at + ": missing field '" + field + "'");
        if (v.isIntegralNumber() && v.canConvertToLong()) return v.asLong();
        if (v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble())) return (long) v.asDouble();
        throw bad(at + ": '" + field + "' is not an integer: " + v);
    }

    private String text(JsonNode n, String field, String at) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw bad(at + ": missing field '" + field + "'");
        if (!v.isTextual()) throw bad(at + ": '" + field + "' is not a string: " + v);
        return v.asText();
    }

    private IOException bad(String what) {
        return new IOException(file + ": " + what);
    }
}
