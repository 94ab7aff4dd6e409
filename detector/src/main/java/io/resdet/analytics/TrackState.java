package io.resdet.analytics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What the analytics remember of one track between frames. */
final class TrackState {
    /** The side of a line a track was last strictly on, and its anchor there (where a crossing move starts). */
    record Side(int side, double[] point) {}

    int label;
    /** The update (1-based count of {@link ZoneAnalytics#update} calls) in which the track was last seen. */
    long lastSeen;
    /** Names of the zones the track is in (its last anchor was inside). */
    final Set<String> zones = new HashSet<>();
    /** Per line name; absent until the track's anchor is first seen strictly off that line. */
    final Map<String, Side> sides = new LinkedHashMap<>();
}
