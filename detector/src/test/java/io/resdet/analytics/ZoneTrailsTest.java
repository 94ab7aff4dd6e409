package io.resdet.analytics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.resdet.analytics.ZoneFixtures.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link TrackTrails}: the last anchors per track, kept through short gaps. */
class ZoneTrailsTest {
    private static double[] ys(List<double[]> trail) {
        return trail.stream().mapToDouble(p -> p[1]).toArray();
    }

    @Test
    void keepsTheLastPointsOfTheTracksSeen() {
        TrackTrails t = new TrackTrails(3, Anchor.BOTTOM_CENTER);
        t.update(List.of(at(1, 10, 1), at(2, 50, 5)));
        t.update(List.of(at(1, 10, 2)));
        Map<Integer, List<double[]>> third = t.update(List.of(at(1, 10, 3), at(2, 50, 6)));
        assertArrayEquals(new double[] {1, 2, 3}, ys(third.get(1)));
        assertArrayEquals(new double[] {5, 6}, ys(third.get(2)), "track 2 missed one frame: its trail goes on");
        Map<Integer, List<double[]>> fourth = t.update(List.of(at(1, 10, 4)));
        assertArrayEquals(new double[] {2, 3, 4}, ys(fourth.get(1)), "only the last 3");
        assertEquals(List.of(1), List.copyOf(fourth.keySet()), "only the tracks seen now");
        t.update(List.of());
        t.update(List.of());
        // Track 2 last seen 4 updates ago (≥ 3): forgotten, starts over.
        assertArrayEquals(new double[] {9}, ys(t.update(List.of(at(2, 50, 9))).get(2)));
        assertArrayEquals(new double[] {10, 0}, t.update(List.of(at(1, 10, 0))).get(1).get(0), "anchor: bottom centre");
    }
}
