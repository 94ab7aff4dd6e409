package io.resdet.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@link ZoneAnalytics}' state as JSON and back:
 * <pre>{@code
 * {"format": "resdet-zone-analytics", "version": 1, "updates": 57,
 *  "tracks": [{"id": 3, "label": 1, "last_seen": 56, "zones": ["door"],
 *              "lines": {"gate": {"side": -1, "point": [161.5, 118.0]}}}],
 *  "counts": {"lines": {"gate": {"in": 2, "out": 1}}, "zones": {"door": {"entries": 3, "exits": 2}}}}
 * }</pre>
 * Points are pixels (the zones resolved for the frame size of the time). Doubles are written with
 * {@link Double#toString}'s shortest exact form, so a restored state decides every later frame the same way.
 */
final class AnalyticsSnapshot {
    static final String FORMAT = "resdet-zone-analytics";
    static final int VERSION = 1;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AnalyticsSnapshot() {}

    static ObjectNode write(ZoneAnalytics a) {
        ObjectNode o = F.objectNode();
        o.put("format", FORMAT);
        o.put("version", VERSION);
        o.put("updates", a.updates);
        ArrayNode tracks = o.putArray("tracks");
        a.tracks.forEach((id, st) -> {
            ObjectNode t = tracks.addObject();
            t.put("id", id);
            t.put("label", st.label);
            t.put("last_seen", st.lastSeen);
            ArrayNode zs = t.putArray("zones");
            // File order, so equal states give equal snapshots.
            for (Zones.Zone z : a.zones().zones()) if (st.zones.contains(z.name())) zs.add(z.name());
            ObjectNode lines = t.putObject("lines");
            st.sides.forEach((name, side) -> {
                ObjectNode s = lines.putObject(name);
                s.put("side", side.side());
                s.putArray("point").add(side.point()[0]).add(side.point()[1]);
            });
        });
        ObjectNode counts = o.putObject("counts"), lines = counts.putObject("lines"), zones = counts.putObject("zones");
        a.lineCounts.forEach((n, c) -> lines.putObject(n).put("in", c[0]).put("out", c[1]));
        a.zoneCounts.forEach((n, c) -> zones.putObject(n).put("entries", c[0]).put("exits", c[1]));
        return o;
    }

    static void read(JsonNode s, ZoneAnalytics into) {
        if (s == null || !s.isObject()) throw error("", "expected an object");
        if (!FORMAT.equals(s.path("format").asText(null))) throw error("format", "expected \"" + FORMAT + "\", got " + s.get("format"));
        if (s.path("version").asInt(-1) != VERSION) throw error("version", "expected " + VERSION + ", got " + s.get("version"));
        into.updates = count(s, "updates", "updates");
        JsonNode tracks = s.get("tracks");
        if (tracks == null || !tracks.isArray()) throw error("tracks", "expected an array");
        for (int i = 0; i < tracks.size(); i++) {
            String p = "tracks[" + i + "]";
            JsonNode t = tracks.get(i);
            if (!t.isObject()) throw error(p, "expected an object");
            TrackState st = new TrackState();
            long id = count(t, "id", p + ".id");
            st.label = (int) count(t, "label", p + ".label");
            st.lastSeen = count(t, "last_seen", p + ".last_seen");
            if (id > Integer.MAX_VALUE || st.lastSeen > into.updates) throw error(p, "id or last_seen out of range");
            JsonNode zs = t.path("zones");
            if (!zs.isArray()) throw error(p + ".zones", "expected an array of zone names");
            for (JsonNode z : zs) if (into.zoneCounts.containsKey(z.asText())) st.zones.add(z.asText());
            JsonNode lines = t.path("lines");
            if (!lines.isObject()) throw error(p + ".lines", "expected an object");
            for (Iterator<Map.Entry<String, JsonNode>> it = lines.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String lp = p + ".lines." + e.getKey();
                int side = e.getValue().path("side").asInt(0);
                JsonNode pt = e.getValue().path("point");
                if (side != -1 && side != 1) throw error(lp + ".side", "expected -1 or 1");
                if (!pt.isArray() || pt.size() != 2 || !pt.get(0).isNumber() || !pt.get(1).isNumber()) throw error(lp + ".point", "expected [x, y]");
                if (into.lineCounts.containsKey(e.getKey())) {
                    st.sides.put(e.getKey(), new TrackState.Side(side, new double[] {pt.get(0).doubleValue(), pt.get(1).doubleValue()}));
                }
            }
            if (into.tracks.put((int) id, st) != null) throw error(p + ".id", "track " + id + " is listed twice");
        }
        JsonNode counts = s.path("counts");
        readCounts(counts.path("lines"), "counts.lines", into.lineCounts, List.of("in", "out"));
        readCounts(counts.path("zones"), "counts.zones", into.zoneCounts, List.of("entries", "exits"));
    }

    private static void readCounts(JsonNode node, String path, Map<String, long[]> into, List<String> keys) {
        if (!node.isObject()) throw error(path, "expected an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            long[] c = into.get(e.getKey());
            List<Long> v = new ArrayList<>();
            for (String k : keys) v.add(count(e.getValue(), k, path + "." + e.getKey() + "." + k));
            if (c != null) for (int k = 0; k < c.length; k++) c[k] = v.get(k);
        }
    }

    private static long count(JsonNode node, String key, String path) {
        JsonNode v = node.get(key);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < 0) throw error(path, "expected a non-negative integer, got " + v);
        return v.longValue();
    }

    private static IllegalArgumentException error(String path, String problem) {
        return new IllegalArgumentException("zone analytics snapshot: " + (path.isEmpty() ? "" : path + ": ") + problem);
    }
}
