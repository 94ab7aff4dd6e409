package io.resdet.analytics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cumulative counts since the analytics started (snapshots carry them over): per line in/out, per zone entries/exits, file order. */
public record ZoneCounts(Map<String, LineCount> lines, Map<String, ZoneCount> zones) {
    public record LineCount(long in, long out) {}

    public record ZoneCount(long entries, long exits) {}

    public ZoneCounts {
        lines = Collections.unmodifiableMap(new LinkedHashMap<>(lines));
        zones = Collections.unmodifiableMap(new LinkedHashMap<>(zones));
    }

    /** One line for people: {@code line gate: in 3, out 1; zone door: entries 4, exits 2} ("no zones or lines" when empty). */
    public String summary() {
        List<String> parts = new ArrayList<>();
        lines.forEach((n, c) -> parts.add("line " + n + ": in " + c.in() + ", out " + c.out()));
        zones.forEach((n, c) -> parts.add("zone " + n + ": entries " + c.entries() + ", exits " + c.exits()));
        return parts.isEmpty() ? "no zones or lines" : String.join("; ", parts);
    }
}
