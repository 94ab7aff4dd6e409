package io.resdet.analytics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.resdet.analytics.ZoneEvent.Reason.APPEARED;
import static io.resdet.analytics.ZoneEvent.Reason.LOST;
import static io.resdet.analytics.ZoneEvent.Reason.MOVED;
import static io.resdet.analytics.ZoneFixtures.at;
import static io.resdet.analytics.ZoneFixtures.enter;
import static io.resdet.analytics.ZoneFixtures.exit;
import static io.resdet.analytics.ZoneFixtures.step;
import static io.resdet.analytics.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Zone entries, exits and occupancy of {@link ZoneAnalytics}, lost tracks, anchors and normalized zones; by hand. */
class ZoneOccupancyTest {
    // door: x 100..200, y 100..200; hall: x 150..300, same y; they overlap at x 150..200.
    private static final Zones.Zone DOOR = zone("door", 100, 100, 200, 100, 200, 200, 100, 200);
    private static final Zones.Zone HALL = zone("hall", 150, 100, 300, 100, 300, 200, 150, 200);

    private static ZoneAnalytics analytics(int lostAfter) {
        return new ZoneAnalytics(ZoneFixtures.stream(List.of(DOOR, HALL), List.of()), lostAfter);
    }

    @Test
    void entersAndExitsAsTheAnchorMoves() {
        ZoneAnalytics a = analytics(30);
        FrameAnalytics f1 = step(a, 1, at(1, 120, 150), at(2, 50, 50));
        assertEquals(List.of(enter("door", 1, 1, APPEARED)), f1.events(), "first seen inside: appeared");
        assertEquals(Map.of("door", 1, "hall", 0), f1.occupancy());
        assertEquals(List.of("door", "hall"), List.copyOf(f1.occupancy().keySet()), "file order");
        FrameAnalytics f2 = step(a, 2, at(1, 170, 150), at(2, 100, 150));
        assertEquals(List.of(enter("hall", 1, 2, MOVED), enter("door", 2, 2, MOVED)), f2.events(), "track 2 on door's edge is inside");
        assertEquals(Map.of("door", 2, "hall", 1), f2.occupancy());
        FrameAnalytics f3 = step(a, 3, at(1, 250, 150), at(2, 100, 150));
        assertEquals(List.of(exit("door", 1, 3, MOVED)), f3.events());
        assertEquals(Map.of("door", 1, "hall", 1), f3.occupancy());
        FrameAnalytics f4 = step(a, 4, at(1, 350, 150), at(2, 99, 150));
        assertEquals(List.of(exit("hall", 1, 4, MOVED), exit("door", 2, 4, MOVED)), f4.events());
        assertEquals(Map.of("door", 0, "hall", 0), f4.occupancy());
        assertEquals(Map.of("door", new ZoneCounts.ZoneCount(2, 2), "hall", new ZoneCounts.ZoneCount(1, 1)), a.counts().zones());
    }

    @Test
    void aTrackMissingTooLongExitsAsLost() {
        ZoneAnalytics a = analytics(2);
        step(a, 10, at(1, 170, 150));
        // Missed in updates 2 and 3 (not more than 2): still in both zones, still counted.
        assertEquals(Map.of("door", 1, "hall", 1), step(a, 11).occupancy());
        assertEquals(List.of(), step(a, 12).events());
        // Missed for the third update: lost, in this update's frame and time.
        FrameAnalytics lost = step(a, 13);
        assertEquals(List.of(exit("door", 1, 13, LOST), exit("hall", 1, 13, LOST)), lost.events());
        assertEquals(Map.of("door", 0, "hall", 0), lost.occupancy());
        // Its id again: a new track, so inside means appeared.
        assertEquals(List.of(enter("hall", 1, 14, APPEARED)), step(a, 14, at(1, 250, 150)).events());
        assertEquals(Map.of("door", new ZoneCounts.ZoneCount(1, 1), "hall", new ZoneCounts.ZoneCount(2, 1)), a.counts().zones());
    }

    @Test
    void seenAgainInTimeKeepsItsZones() {
        ZoneAnalytics a = analytics(2);
        step(a, 1, at(1, 120, 150));
        step(a, 2);
        step(a, 3);
        assertEquals(List.of(), step(a, 4, at(1, 130, 150)).events(), "missed for 2 updates: not lost");
        assertEquals(Map.of("door", 1, "hall", 0), a.occupancy());
    }

    @Test
    void anchorChoosesWhichPointCounts() {
        // Box x 120..140, y 60..110: bottom centre (130, 110) is in the door, the centre (130, 85) is not.
        var box = new io.resdet.tracking.TrackedObject(1, 0, 1, 0.9f, new double[] {120, 60, 140, 110});
        ZoneAnalytics bottom = analytics(30);
        assertEquals(Map.of("door", 1, "hall", 0), bottom.update(0, 0, 320, 240, List.of(box)).occupancy());
        ZoneAnalytics centre = new ZoneAnalytics(new Zones.StreamZones(List.of(DOOR, HALL), List.of(), false, Anchor.CENTER), 30);
        assertEquals(Map.of("door", 0, "hall", 0), centre.update(0, 0, 320, 240, List.of(box)).occupancy());
    }

    @Test
    void anchorsPastTheBorderAreClampedIntoTheFrame() {
        // A zone along the bottom of the 320x240 frame; the box's bottom at 243 (a Kalman box past the border).
        ZoneAnalytics a = new ZoneAnalytics(ZoneFixtures.stream(List.of(zone("floor", 0, 200, 320, 200, 320, 240, 0, 240)), List.of()), 30);
        assertEquals(Map.of("floor", 1), step(a, 1, at(1, 100, 243)).occupancy());
        assertEquals(Map.of("floor", 1), step(a, 2, at(1, -4, 230)).occupancy(), "x clamped to 0, the zone's edge");
    }

    @Test
    void normalizedZonesFollowTheFrameSize() {
        // The middle half of the frame, and a line across its middle.
        Zones.StreamZones z = Zones.parse("z", "{\"streams\": {\"*\": {\"normalized\": true,"
                + " \"zones\": [{\"name\": \"mid\", \"polygon\": [[0.25, 0.25], [0.75, 0.25], [0.75, 0.75], [0.25, 0.75]]}],"
                + " \"lines\": [{\"name\": \"half\", \"from\": [0, 0.5], \"to\": [1, 0.5]}]}}}").forStream("cam");
        ZoneAnalytics small = new ZoneAnalytics(z, 30);
        // 320x240: mid is x 80..240, y 60..180; (100, 100) is inside.
        assertEquals(Map.of("mid", 1), small.update(1, 0, 320, 240, List.of(at(1, 100, 100))).occupancy());
        // 640x480: mid is x 160..480, y 120..360; the same pixel is outside; the line is at y = 240.
        ZoneAnalytics big = new ZoneAnalytics(z, 30);
        assertEquals(Map.of("mid", 0), big.update(1, 0, 640, 480, List.of(at(1, 100, 100))).occupancy());
        FrameAnalytics f = big.update(2, 0, 640, 480, List.of(at(1, 100, 250)));
        assertEquals(1, f.events().size());
        assertEquals(ZoneEvent.Kind.CROSS, f.events().get(0).kind());
        assertEquals(ZoneEvent.Direction.IN, f.events().get(0).direction());
    }

    @Test
    void refusesBadUpdates() {
        ZoneAnalytics a = analytics(30);
        assertThrows(IllegalArgumentException.class, () -> a.update(1, 0, 0, 240, List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step(a, 5, at(3, 1, 1), at(3, 2, 2)));
        assertEquals("track 3 is listed twice in frame 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ZoneAnalytics(Zones.StreamZones.NONE, -1));
    }
}
