package io.resdet.analytics;

import io.resdet.tracking.TrackedObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last few anchor points of each track, for drawing where tracks came from. A track's trail is returned while
 * it is seen; it is kept through short gaps and forgotten once the track has been missing for {@code length}
 * updates. Not thread-safe.
 */
public final class TrackTrails {
    private final int length;
    private final Anchor anchor;
    private final Map<Integer, Deque<double[]>> points = new HashMap<>();
    private final Map<Integer, Long> lastSeen = new HashMap<>();
    private long updates;

    public TrackTrails(int length, Anchor anchor) {
        if (length < 1) throw new IllegalArgumentException("trail length must be at least 1, got " + length);
        this.length = length;
        this.anchor = anchor;
    }

    /** Adds this frame's anchors; returns the trails (oldest point first) of the tracks seen in it, by track id. */
    public Map<Integer, List<double[]>> update(List<TrackedObject> tracks) {
        updates++;
        Map<Integer, List<double[]>> out = new TreeMap<>();
        for (TrackedObject o : tracks) {
            Deque<double[]> d = points.computeIfAbsent(o.trackId(), k -> new ArrayDeque<>());
            d.addLast(anchor.point(o.box()));
            while (d.size() > length) d.removeFirst();
            lastSeen.put(o.trackId(), updates);
            out.put(o.trackId(), new ArrayList<>(d));
        }
        for (Iterator<Map.Entry<Integer, Long>> it = lastSeen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Long> e = it.next();
            if (updates - e.getValue() >= length) {
                points.remove(e.getKey());
                it.remove();
            }
        }
        return out;
    }
}
