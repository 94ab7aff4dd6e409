package io.resdet.analytics;

import java.util.List;
import java.util.Map;

/**
 * One frame's result: per zone (file order) its occupancy, the tracks currently in it, and the events of the frame
 * (in track-id order; per track its zone events in file order, then its line crossings in file order).
 */
public record FrameAnalytics(long frame, long timestampMs, Map<String, Integer> occupancy, List<ZoneEvent> events) {
    public FrameAnalytics {
        occupancy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(occupancy));
        events = List.copyOf(events);
    }
}
