package io.resdet.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The JSON that results carry (one writer for {@code detect} and the stream service):
 * <ul>
 *   <li>occupancy: {@code {"door": 2, "bay": 0}};</li>
 *   <li>an event: {@code {"event": "enter", "zone": "door", "reason": "appeared", "track_id": 3, "label": 1,
 *       "name": "circle", "frame": 41, "timestamp_ms": 1366}} or {@code {"event": "cross", "line": "gate",
 *       "direction": "in", ...}} ({@code "name"}, the class name, only when the caller knows it);</li>
 *   <li>counts: {@code {"lines": {"gate": {"in": 3, "out": 1}}, "zones": {"door": {"entries": 4, "exits": 2}}}}.</li>
 * </ul>
 */
public final class AnalyticsJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AnalyticsJson() {}

    public static ObjectNode occupancy(FrameAnalytics frame) {
        ObjectNode o = F.objectNode();
        frame.occupancy().forEach(o::put);
        return o;
    }

    /** {@code classNames}: label → class name, or null to leave {@code "name"} out. */
    public static ArrayNode events(List<ZoneEvent> events, IntFunction<String> classNames) {
        ArrayNode a = F.arrayNode();
        for (ZoneEvent e : events) a.add(event(e, classNames));
        return a;
    }

    public static ObjectNode event(ZoneEvent e, IntFunction<String> classNames) {
        ObjectNode o = F.objectNode();
        o.put("event", ZoneEvent.json(e.kind()));
        o.put(e.kind() == ZoneEvent.Kind.CROSS ? "line" : "zone", e.name());
        if (e.direction() != null) o.put("direction", ZoneEvent.json(e.direction()));
        if (e.reason() != null) o.put("reason", ZoneEvent.json(e.reason()));
        o.put("track_id", e.trackId());
        o.put("label", e.label());
        String name = classNames == null ? null : classNames.apply(e.label());
        if (name != null) o.put("name", name);
        o.put("frame", e.frame());
        o.put("timestamp_ms", e.timestampMs());
        return o;
    }

    public static ObjectNode counts(ZoneCounts counts) {
        ObjectNode o = F.objectNode();
        ObjectNode lines = o.putObject("lines"), zones = o.putObject("zones");
        counts.lines().forEach((n, c) -> lines.putObject(n).put("in", c.in()).put("out", c.out()));
        counts.zones().forEach((n, c) -> zones.putObject(n).put("entries", c.entries()).put("exits", c.exits()));
        return o;
    }
}
