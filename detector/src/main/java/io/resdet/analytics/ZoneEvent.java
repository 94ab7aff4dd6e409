package io.resdet.analytics;

import java.util.Locale;

/**
 * Something a track did in one frame: entered or left a zone, or crossed a line. {@code name} is the zone's or the
 * line's; {@code frame} and {@code timestampMs} are the update's (a {@link Reason#LOST} exit happens in the update
 * that gives the track up, not when it was last seen). {@code direction} is set for {@link Kind#CROSS} only,
 * {@code reason} for {@link Kind#ENTER} and {@link Kind#EXIT} only.
 */
public record ZoneEvent(Kind kind, String name, int trackId, int label, long frame, long timestampMs, Direction direction, Reason reason) {
    public enum Kind { ENTER, EXIT, CROSS }

    /** {@code IN}: from the left of the line's from→to direction (as seen on the screen) to its right; OUT the reverse. */
    public enum Direction { IN, OUT }

    /**
     * {@code MOVED}: the track's anchor moved across the zone's boundary. {@code APPEARED}: a track without state (new,
     * or given up as lost before) is first seen inside. {@code LOST}: not seen for more than the lost-after frames.
     */
    public enum Reason { MOVED, APPEARED, LOST }

    /** Lower-case name for JSON: enter, exit, cross; in, out; moved, appeared, lost. */
    static String json(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
