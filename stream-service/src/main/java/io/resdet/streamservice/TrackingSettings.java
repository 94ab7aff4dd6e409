package io.resdet.streamservice;

import io.resdet.analytics.Zones;
import io.resdet.tracking.TrackerSettings;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * {@code track: true} and what goes with it: the tracker's parameters (as {@code detect --track} takes them), the
 * compacted topic that keeps each stream's tracker state across restarts and rebalances ({@code tracks-topic}), the
 * topic of zone and line events ({@code events-topic}) and the zones file ({@code zones}, optional).
 */
record TrackingSettings(TrackerSettings tracker, String tracksTopic, String eventsTopic, Path zonesFile, Zones zones) {
    static final String TRACKS_TOPIC = "resdet.tracks";
    static final String EVENTS_TOPIC = "resdet.events";

    /** Null when tracking is off. */
    static TrackingSettings from(JsonObject c) {
        if (!c.getBoolean("track", false)) {
            for (String k : new String[] {"zones", "track-thresh", "track-buffer", "match-thresh", "class-aware"}) {
                if (c.getValue(k) != null) throw new IllegalArgumentException(k + ": needs track: true");
            }
            return null;
        }
        TrackerSettings t = TrackerSettings.DEFAULT;
        try {
            if (c.getValue("track-thresh") != null) t = t.withTrackThresh(c.getDouble("track-thresh"));
            if (c.getValue("track-buffer") != null) t = t.withTrackBuffer(c.getInteger("track-buffer"));
            if (c.getValue("match-thresh") != null) t = t.withMatchThresh(c.getDouble("match-thresh"));
            if (c.getValue("class-aware") != null) t = t.withClassAware(c.getBoolean("class-aware"));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("tracking: " + e.getMessage());
        }
        String file = c.getString("zones");
        Path zonesFile = file == null || file.isBlank() ? null : Path.of(file);
        // Read here, at start: a bad zones file is one line naming the file and JSON path, before any frame is read.
        Zones zones = zonesFile == null ? null : Zones.read(zonesFile);
        return new TrackingSettings(t, c.getString("tracks-topic", TRACKS_TOPIC), c.getString("events-topic", EVENTS_TOPIC),
                zonesFile, zones);
    }
}
