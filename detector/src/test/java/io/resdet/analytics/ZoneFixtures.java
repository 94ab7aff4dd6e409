package io.resdet.analytics;

import io.resdet.tracking.TrackedObject;

import java.util.List;

/** Hand-placed tracks and zones for the analytics tests. */
final class ZoneFixtures {
    private ZoneFixtures() {}

    /** Track {@code id} (label 1) whose box's bottom centre is (x, y): 10 wide, 20 high. */
    static TrackedObject at(int id, double x, double y) {
        return new TrackedObject(id, 0, 1, 0.9f, new double[] {x - 5, y - 20, x + 5, y});
    }

    static Zones.Zone zone(String name, double... xy) {
        double[][] p = new double[xy.length / 2][];
        for (int i = 0; i < p.length; i++) p[i] = new double[] {xy[2 * i], xy[2 * i + 1]};
        return new Zones.Zone(name, p);
    }

    static Zones.Line line(String name, double x1, double y1, double x2, double y2) {
        return new Zones.Line(name, new double[] {x1, y1}, new double[] {x2, y2});
    }

    static Zones.StreamZones stream(List<Zones.Zone> zones, List<Zones.Line> lines) {
        return new Zones.StreamZones(zones, lines, false, Anchor.BOTTOM_CENTER);
    }

    static ZoneEvent cross(String line, int id, long frame, ZoneEvent.Direction d) {
        return new ZoneEvent(ZoneEvent.Kind.CROSS, line, id, 1, frame, frame * 100, d, null);
    }

    static ZoneEvent enter(String zone, int id, long frame, ZoneEvent.Reason r) {
        return new ZoneEvent(ZoneEvent.Kind.ENTER, zone, id, 1, frame, frame * 100, null, r);
    }

    static ZoneEvent exit(String zone, int id, long frame, ZoneEvent.Reason r) {
        return new ZoneEvent(ZoneEvent.Kind.EXIT, zone, id, 1, frame, frame * 100, null, r);
    }

    /** One update at frame {@code frame} (time frame × 100 ms) of a 320x240 frame. */
    static FrameAnalytics step(ZoneAnalytics a, long frame, TrackedObject... tracks) {
        return a.update(frame, frame * 100, 320, 240, List.of(tracks));
    }
}
