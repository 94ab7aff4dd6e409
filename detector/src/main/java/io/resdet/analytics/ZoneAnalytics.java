package io.resdet.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.tracking.TrackedObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Zone occupancy, zone entries/exits and line crossings of one stream's tracks, frame by frame. Feed it every
 * processed frame's tracks in order (the tracker's output; a frame with no tracks too, so lost tracks time out).
 *
 * <p>A track is placed by the {@link Anchor} of its box (bottom centre by default), clamped to the
 * frame (the tracker's box can run past the border while the object is still on it). <b>Zones</b>: a track is in a zone
 * while its last seen anchor is inside the polygon (edges and corners count as inside); occupancy is the number of
 * tracks in the zone, including tracks missing for a few frames that are not yet lost, so occupancy always equals
 * entries minus exits. A track seen for the first time inside a zone enters it ({@code appeared}). <b>Lines</b>: a
 * track's side of a line is where its anchor last was strictly off the (infinite) line; an anchor exactly on the line
 * keeps the previous side. A crossing is counted when the side flips and the move from the last strictly-off point to
 * the new one passes through the line segment (its end points included); flipping around the end of the line counts
 * nothing. Touching the line and turning back is no crossing; every real crossing counts, so a track jittering across
 * the line counts each pass (in, out, in, ...: the net in - out stays right; there is no hysteresis). A move across
 * frames where the track was missed (occluded while crossing) still counts once it is seen again. <b>Lost</b>: a
 * track not seen for more than {@code lostAfter} updates (ByteTrack removes a lost track after the same
 * {@code max_time_lost}) exits its zones ({@code lost}) and is forgotten; if its id comes back it is new.
 *
 * <p>Deterministic; not thread-safe: one per stream. {@link #snapshot()} / {@link #restore} carry the whole state
 * across restarts.
 */
public final class ZoneAnalytics {
    /** ByteTrack's default track buffer at 30 fps. */
    public static final int DEFAULT_LOST_AFTER = 30;

    private final Zones.StreamZones zones;
    private final int lostAfter;
    private Zones.StreamZones resolved;
    private int resolvedWidth = -1, resolvedHeight = -1;
    long updates;
    final TreeMap<Integer, TrackState> tracks = new TreeMap<>();
    final Map<String, long[]> lineCounts = new LinkedHashMap<>(), zoneCounts = new LinkedHashMap<>();

    /** {@code zones} in pixels or normalized; {@code lostAfter}: missed updates after which a track is given up. */
    public ZoneAnalytics(Zones.StreamZones zones, int lostAfter) {
        if (lostAfter < 0) throw new IllegalArgumentException("lostAfter must not be negative, got " + lostAfter);
        this.zones = zones;
        this.lostAfter = lostAfter;
        for (Zones.Line l : zones.lines()) lineCounts.put(l.name(), new long[2]);
        for (Zones.Zone z : zones.zones()) zoneCounts.put(z.name(), new long[2]);
    }

    public Zones.StreamZones zones() {
        return zones;
    }

    public int lostAfter() {
        return lostAfter;
    }

    /**
     * The next processed frame: its number and time (only copied into the result and events), its size (resolves
     * normalized zones) and its confirmed tracks, each id at most once.
     */
    public FrameAnalytics update(long frame, long timestampMs, int width, int height, List<TrackedObject> objects) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        Zones.StreamZones z = resolved(width, height);
        Map<Integer, TrackedObject> seen = new TreeMap<>();
        for (TrackedObject o : objects) {
            if (seen.put(o.trackId(), o) != null) throw new IllegalArgumentException("track " + o.trackId() + " is listed twice in frame " + frame);
        }
        updates++;
        List<ZoneEvent> events = new ArrayList<>();
        Set<Integer> ids = new TreeSet<>(tracks.keySet());
        ids.addAll(seen.keySet());
        for (int id : ids) {
            TrackedObject o = seen.get(id);
            TrackState st = tracks.get(id);
            if (o == null) {
                if (updates - st.lastSeen > lostAfter) {
                    for (Zones.Zone zone : z.zones()) {
                        if (st.zones.contains(zone.name())) events.add(exit(zone, id, st.label, frame, timestampMs, ZoneEvent.Reason.LOST));
                    }
                    tracks.remove(id);
                }
                continue;
            }
            boolean fresh = st == null;
            if (fresh) tracks.put(id, st = new TrackState());
            st.label = o.label();
            st.lastSeen = updates;
            double[] p = z.anchor().point(o.box());
            // The tracker's Kalman box can run past the border; what is not in the frame cannot be in a zone drawn on it.
            p[0] = Math.max(0, Math.min(width, p[0]));
            p[1] = Math.max(0, Math.min(height, p[1]));
            for (Zones.Zone zone : z.zones()) {
                boolean in = Geometry.inside(zone.polygon(), p[0], p[1]), was = st.zones.contains(zone.name());
                if (in && !was) {
                    st.zones.add(zone.name());
                    zoneCounts.get(zone.name())[0]++;
                    events.add(new ZoneEvent(ZoneEvent.Kind.ENTER, zone.name(), id, st.label, frame, timestampMs, null,
                            fresh ? ZoneEvent.Reason.APPEARED : ZoneEvent.Reason.MOVED));
                } else if (!in && was) {
                    events.add(exit(zone, id, st.label, frame, timestampMs, ZoneEvent.Reason.MOVED));
                }
            }
            for (Zones.Line line : z.lines()) {
                int side = Geometry.side(line.from(), line.to(), p);
                if (side == 0) continue;
                TrackState.Side before = st.sides.put(line.name(), new TrackState.Side(side, p));
                if (before == null || before.side() == side || !Geometry.passesThrough(line.from(), line.to(), before.point(), p)) continue;
                ZoneEvent.Direction d = side > 0 ? ZoneEvent.Direction.IN : ZoneEvent.Direction.OUT;
                lineCounts.get(line.name())[d.ordinal()]++;
                events.add(new ZoneEvent(ZoneEvent.Kind.CROSS, line.name(), id, st.label, frame, timestampMs, d, null));
            }
        }
        return new FrameAnalytics(frame, timestampMs, occupancy(), events);
    }

    private ZoneEvent exit(Zones.Zone zone, int id, int label, long frame, long timestampMs, ZoneEvent.Reason reason) {
        zoneCounts.get(zone.name())[1]++;
        if (reason != ZoneEvent.Reason.LOST) tracks.get(id).zones.remove(zone.name());
        return new ZoneEvent(ZoneEvent.Kind.EXIT, zone.name(), id, label, frame, timestampMs, null, reason);
    }

    /** Tracks in each zone now, file order. */
    public Map<String, Integer> occupancy() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Zones.Zone zone : zones.zones()) out.put(zone.name(), 0);
        for (TrackState st : tracks.values()) for (String name : st.zones) out.merge(name, 1, Integer::sum);
        return out;
    }

    /** Counts since the start (or since the state a {@link #restore} started from). */
    public ZoneCounts counts() {
        Map<String, ZoneCounts.LineCount> l = new LinkedHashMap<>();
        lineCounts.forEach((n, c) -> l.put(n, new ZoneCounts.LineCount(c[0], c[1])));
        Map<String, ZoneCounts.ZoneCount> zc = new LinkedHashMap<>();
        zoneCounts.forEach((n, c) -> zc.put(n, new ZoneCounts.ZoneCount(c[0], c[1])));
        return new ZoneCounts(l, zc);
    }

    /** The whole state as JSON (plain objects, arrays and numbers; doubles exact), for {@link #restore}. */
    public ObjectNode snapshot() {
        return AnalyticsSnapshot.write(this);
    }

    /**
     * Analytics continuing from a {@link #snapshot()}: later updates give exactly the events and counts the
     * snapshotted instance would have given. State for zone or line names that {@code zones} no longer has is dropped,
     * new names start at zero. A malformed snapshot is a one-line {@link IllegalArgumentException}.
     */
    public static ZoneAnalytics restore(Zones.StreamZones zones, int lostAfter, JsonNode snapshot) {
        ZoneAnalytics a = new ZoneAnalytics(zones, lostAfter);
        AnalyticsSnapshot.read(snapshot, a);
        return a;
    }

    /**
     * A copy of {@code snapshot} with its tracks dropped, for restoring the counts alone: when the tracker restarts
     * without its own state its ids start again at 1, and a new track 1 must not inherit an old track 1's sides and
     * zones (that would count a crossing it never made).
     */
    public static ObjectNode withoutTracks(JsonNode snapshot) {
        if (snapshot == null || !snapshot.isObject()) throw new IllegalArgumentException("zone analytics snapshot: expected an object");
        ObjectNode copy = ((ObjectNode) snapshot).deepCopy();
        copy.putArray("tracks");
        return copy;
    }

    /** The zones in pixels of this frame size, computed again only when the size changes. */
    Zones.StreamZones resolved(int width, int height) {
        if (resolved == null || width != resolvedWidth || height != resolvedHeight) {
            resolved = zones.resolve(width, height);
            resolvedWidth = width;
            resolvedHeight = height;
        }
        return resolved;
    }
}
