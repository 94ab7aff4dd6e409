package io.resdet.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and checks the zones format that {@link Zones} describes; every message is {@code SOURCE: JSON.PATH: problem}. */
final class ZonesParser {
    // A key given twice would otherwise silently keep the last value.
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final String source;

    private ZonesParser(String source) {
        this.source = source;
    }

    static Map<String, Zones.StreamZones> parse(String source, String json) {
        return new ZonesParser(source).root(json);
    }

    private Map<String, Zones.StreamZones> root(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            // Jackson's message goes on with where an enclosing object started and the source: the position says enough.
            String why = e.getOriginalMessage().lines().findFirst().orElse("").replaceFirst(" \\(for .*$", "");
            throw new ZonesException(source + ": not valid JSON" + where + " (" + why + ")");
        }
        if (root == null || !root.isObject()) throw error("", "expected an object {\"streams\": {STREAM_ID: {\"zones\": [...], \"lines\": [...]}}}");
        fields(root, "", Set.of("streams"));
        JsonNode streams = root.get("streams");
        if (streams == null) throw error("streams", "missing");
        if (!streams.isObject() || streams.isEmpty()) throw error("streams", "expected an object with at least one stream id (\"*\": every stream)");
        Map<String, Zones.StreamZones> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = streams.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().isEmpty()) throw error("streams", "empty stream id");
            out.put(e.getKey(), stream("streams." + e.getKey(), e.getValue()));
        }
        return out;
    }

    private Zones.StreamZones stream(String path, JsonNode node) {
        if (!node.isObject()) throw error(path, "expected an object with \"zones\" and/or \"lines\"");
        fields(node, path, Set.of("zones", "lines", "normalized", "anchor"));
        boolean normalized = false;
        JsonNode n = node.get("normalized");
        if (n != null) {
            if (!n.isBoolean()) throw error(path + ".normalized", "expected true or false, got " + n);
            normalized = n.booleanValue();
        }
        Anchor anchor = Anchor.BOTTOM_CENTER;
        JsonNode a = node.get("anchor");
        if (a != null) {
            anchor = a.isTextual() ? Anchor.ofJsonName(a.textValue()) : null;
            if (anchor == null) throw error(path + ".anchor", "expected \"bottom_center\" or \"center\", got " + a);
        }
        Set<String> names = new HashSet<>();
        List<Zones.Zone> zones = new ArrayList<>();
        JsonNode zs = array(node, "zones", path);
        for (int i = 0; i < zs.size(); i++) {
            String p = path + ".zones[" + i + "]";
            JsonNode z = object(zs.get(i), p, Set.of("name", "polygon"));
            String name = name(z, p, names);
            JsonNode poly = z.get("polygon");
            if (poly == null) throw error(p + ".polygon", "missing");
            if (!poly.isArray()) throw error(p + ".polygon", "expected an array of [x, y] points");
            if (poly.size() < 3) throw error(p + ".polygon", "needs at least 3 points, got " + poly.size());
            double[][] pts = new double[poly.size()][];
            for (int k = 0; k < pts.length; k++) pts[k] = point(poly.get(k), p + ".polygon[" + k + "]", normalized);
            if (Geometry.doubleArea(pts) == 0) throw error(p + ".polygon", "has no area (all points on one line)");
            zones.add(new Zones.Zone(name, pts));
        }
        List<Zones.Line> lines = new ArrayList<>();
        JsonNode ls = array(node, "lines", path);
        for (int i = 0; i < ls.size(); i++) {
            String p = path + ".lines[" + i + "]";
            JsonNode l = object(ls.get(i), p, Set.of("name", "from", "to"));
            String name = name(l, p, names);
            double[] from = point(required(l, "from", p), p + ".from", normalized), to = point(required(l, "to", p), p + ".to", normalized);
            if (from[0] == to[0] && from[1] == to[1]) throw error(p, "from and to are the same point: a line needs a length");
            lines.add(new Zones.Line(name, from, to));
        }
        return new Zones.StreamZones(zones, lines, normalized, anchor);
    }

    private String name(JsonNode node, String path, Set<String> seen) {
        JsonNode n = required(node, "name", path);
        if (!n.isTextual() || n.textValue().isBlank()) throw error(path + ".name", "expected a non-empty string, got " + n);
        if (!seen.add(n.textValue())) throw error(path + ".name", "duplicate name '" + n.textValue() + "' (names are unique among a stream's zones and lines)");
        return n.textValue();
    }

    private double[] point(JsonNode node, String path, boolean normalized) {
        if (!node.isArray() || node.size() != 2) throw error(path, "expected a point [x, y], got " + node);
        double[] p = new double[2];
        for (int k = 0; k < 2; k++) {
            JsonNode v = node.get(k);
            String at = path + "[" + k + "]";
            if (!v.isNumber()) throw error(at, "expected a number, got " + v);
            p[k] = v.doubleValue();
            if (!Double.isFinite(p[k])) throw error(at, "not a finite number");
            if (normalized && (p[k] < 0 || p[k] > 1)) throw error(at, "normalized coordinates are fractions 0..1 of the frame, got " + v);
        }
        return p;
    }

    private JsonNode array(JsonNode node, String key, String path) {
        JsonNode a = node.get(key);
        if (a == null) return JSON.createArrayNode();
        if (!a.isArray()) throw error(path + "." + key, "expected an array");
        return a;
    }

    private JsonNode object(JsonNode node, String path, Set<String> allowed) {
        if (!node.isObject()) throw error(path, "expected an object with " + String.join(", ", allowed.stream().sorted().toList()) + ", got " + node);
        fields(node, path, allowed);
        return node;
    }

    private JsonNode required(JsonNode node, String key, String path) {
        JsonNode v = node.get(key);
        if (v == null) throw error(path + "." + key, "missing");
        return v;
    }

    /** Refuses keys outside {@code allowed}: a misspelt "polygons" must not leave a zone silently empty. */
    private void fields(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw error(path, "unknown field '" + k + "' (expected " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private ZonesException error(String path, String problem) {
        return new ZonesException(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }
}
