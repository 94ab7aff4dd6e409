package io.resdet.analytics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named zones (polygons) and counting lines per stream, read from a zones file:
 * <pre>{@code
 * {"streams": {
 *    "*":     {"zones": [{"name": "door", "polygon": [[40, 200], [200, 200], [200, 300], [40, 300]]}],
 *              "lines": [{"name": "gate", "from": [0, 360], "to": [640, 360]}]},
 *    "cam-2": {"normalized": true, "anchor": "center",
 *              "zones": [{"name": "bay", "polygon": [[0.1, 0.5], [0.6, 0.5], [0.35, 0.9]]}]}}}
 * }</pre>
 * Coordinates are pixels of the frame (x right, y down) unless the stream says {@code "normalized": true}: then they
 * are fractions 0..1 of the frame's width and height, resolved for each frame's size, so one file serves cameras of
 * any resolution. {@code "*"} applies to every stream without its own entry (an entry with no zones and no lines
 * switches a stream off). {@code "anchor"}: which point of a track's box is tested, {@code "bottom_center"}
 * (default) or {@code "center"} ({@link Anchor}). A line counts crossings from the left of its from→to direction,
 * as seen on the screen, to the right as {@code in} and the reverse as {@code out}: a line from (0, 360) to
 * (640, 360) counts downward moves as in.
 *
 * <p>Checked when read; a problem is one {@link ZonesException} line naming the file and the JSON path. Names are
 * unique within a stream (zones and lines together: events and counts are keyed by them), polygons have at least 3
 * points and a non-zero area (self-intersecting ones are accepted, even-odd rule), lines have distinct ends, numbers
 * are finite (normalized ones within 0..1), unknown fields are refused (a misspelt key would otherwise be ignored).
 */
public final class Zones {
    /** The stream id whose entry applies to streams without their own. */
    public static final String ANY = "*";

    /** A named polygon, points {@code {x, y}} in order (either winding). */
    public record Zone(String name, double[][] polygon) {}

    /** A named counting line from {@code from} to {@code to}, each {@code {x, y}}. */
    public record Line(String name, double[] from, double[] to) {}

    /** One stream's zones and lines, in file order. */
    public record StreamZones(List<Zone> zones, List<Line> lines, boolean normalized, Anchor anchor) {
        /** No zones, no lines: analytics that never report anything. */
        public static final StreamZones NONE = new StreamZones(List.of(), List.of(), false, Anchor.BOTTOM_CENTER);

        public StreamZones {
            zones = List.copyOf(zones);
            lines = List.copyOf(lines);
        }

        public boolean isEmpty() {
            return zones.isEmpty() && lines.isEmpty();
        }

        /** These zones in pixels of a {@code width} x {@code height} frame (itself when already in pixels). */
        public StreamZones resolve(int width, int height) {
            if (!normalized) return this;
            List<Zone> z = new ArrayList<>();
            for (Zone zone : zones) {
                double[][] p = new double[zone.polygon().length][];
                for (int i = 0; i < p.length; i++) p[i] = scale(zone.polygon()[i], width, height);
                z.add(new Zone(zone.name(), p));
            }
            List<Line> l = new ArrayList<>();
            for (Line line : lines) l.add(new Line(line.name(), scale(line.from(), width, height), scale(line.to(), width, height)));
            return new StreamZones(z, l, false, anchor);
        }

        private static double[] scale(double[] p, int width, int height) {
            return new double[] {p[0] * width, p[1] * height};
        }
    }

    private final Map<String, StreamZones> streams;

    Zones(Map<String, StreamZones> streams) {
        this.streams = Collections.unmodifiableMap(new LinkedHashMap<>(streams));
    }

    /** Reads and checks a zones file; any problem, unreadable file included, is a one-line {@link ZonesException}. */
    public static Zones read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ZonesException(file + ": cannot read zones (" + e.getMessage() + ")");
        }
        return parse(file.toString(), text);
    }

    /** Parses zones JSON; {@code source} names it in messages (a file name, "--zones"). */
    public static Zones parse(String source, String json) {
        return new Zones(ZonesParser.parse(source, json));
    }

    /** The stream's own entry, else the {@code "*"} entry, else {@link StreamZones#NONE}. */
    public StreamZones forStream(String streamId) {
        StreamZones own = streams.get(streamId);
        if (own != null) return own;
        return streams.getOrDefault(ANY, StreamZones.NONE);
    }

    /** Every entry by stream id, in file order. */
    public Map<String, StreamZones> streams() {
        return streams;
    }
}
