package io.resdet.analytics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.resdet.analytics.ZoneEvent.Direction.IN;
import static io.resdet.analytics.ZoneEvent.Direction.OUT;
import static io.resdet.analytics.ZoneFixtures.at;
import static io.resdet.analytics.ZoneFixtures.cross;
import static io.resdet.analytics.ZoneFixtures.line;
import static io.resdet.analytics.ZoneFixtures.step;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Line crossings of {@link ZoneAnalytics}: directions, touching, end points, jitter, gaps; tracks placed by hand. */
class ZoneLineCrossingTest {
    /** A horizontal line y = 100 from x 0 to 320: walking it left to right, moving down the screen crosses left → right, "in". */
    private static ZoneAnalytics gate() {
        return new ZoneAnalytics(ZoneFixtures.stream(List.of(), List.of(line("gate", 0, 100, 320, 100))), 30);
    }

    /** Track 1's anchor at (x = 50, y = ys[i]) in frame i + 1; the events of all frames. */
    private static List<ZoneEvent> walk(ZoneAnalytics a, double... ys) {
        List<ZoneEvent> out = new ArrayList<>();
        for (int i = 0; i < ys.length; i++) out.addAll(step(a, i + 1, at(1, 50, ys[i])).events());
        return out;
    }

    private static ZoneCounts.LineCount gateCount(ZoneAnalytics a) {
        return a.counts().lines().get("gate");
    }

    @Test
    void downIsInUpIsOut() {
        ZoneAnalytics a = gate();
        assertEquals(List.of(cross("gate", 1, 3, IN), cross("gate", 1, 5, OUT)), walk(a, 90, 95, 105, 110, 98));
        assertEquals(new ZoneCounts.LineCount(1, 1), gateCount(a));
    }

    @Test
    void directionFollowsTheLinesOrientation() {
        // The same line drawn right to left: moving down is now "out".
        ZoneAnalytics a = new ZoneAnalytics(ZoneFixtures.stream(List.of(), List.of(line("gate", 320, 100, 0, 100))), 30);
        assertEquals(List.of(cross("gate", 1, 2, OUT)), walk(a, 90, 110));
        // A line down the screen at x = 160: its right (as seen walking down) is smaller x, so right → left is "in".
        ZoneAnalytics v = new ZoneAnalytics(ZoneFixtures.stream(List.of(), List.of(line("v", 160, 0, 160, 240))), 30);
        assertEquals(List.of(), step(v, 1, at(1, 200, 50)).events());
        assertEquals(List.of(cross("v", 1, 2, IN)), step(v, 2, at(1, 120, 50)).events());
        // Diagonal (0,0)→(100,100): (80,20) is on its left, (20,80) on its right.
        ZoneAnalytics d = new ZoneAnalytics(ZoneFixtures.stream(List.of(), List.of(line("d", 0, 0, 100, 100))), 30);
        step(d, 1, at(1, 80, 20));
        assertEquals(List.of(cross("d", 1, 2, IN)), step(d, 2, at(1, 20, 80)).events());
    }

    @Test
    void touchingTheLineIsNoCrossingButStepsOnAndBeyondAreOne() {
        ZoneAnalytics touch = gate();
        assertEquals(List.of(), walk(touch, 90, 100, 100, 90), "onto the line and back");
        assertEquals(new ZoneCounts.LineCount(0, 0), gateCount(touch));
        ZoneAnalytics over = gate();
        // On the line in frames 2-3 (no side), then below: the move from (50, 90) to (50, 110) crosses, in frame 4.
        assertEquals(List.of(cross("gate", 1, 4, IN)), walk(over, 90, 100, 100, 110));
        ZoneAnalytics start = gate();
        assertEquals(List.of(), walk(start, 100, 110, 120), "first seen on the line: no side yet, so nothing crossed");
    }

    @Test
    void jitterAcrossTheLineCountsEveryPass() {
        ZoneAnalytics a = gate();
        assertEquals(List.of(cross("gate", 1, 2, IN), cross("gate", 1, 3, OUT), cross("gate", 1, 4, IN), cross("gate", 1, 5, OUT)),
                walk(a, 95, 105, 95, 105, 95));
        assertEquals(new ZoneCounts.LineCount(2, 2), gateCount(a));
    }

    @Test
    void movesAroundTheEndAreNotCrossingsButThroughTheEndPointAre() {
        // A short line from (0, 100) to (100, 100).
        ZoneAnalytics a = new ZoneAnalytics(ZoneFixtures.stream(List.of(), List.of(line("gate", 0, 100, 100, 100))), 30);
        assertEquals(List.of(), step(a, 1, at(1, 150, 90)).events());
        assertEquals(List.of(), step(a, 2, at(1, 150, 110)).events(), "side flipped beyond the line's end");
        // (150, 110) → (50, 90) meets y = 100 at x = 100, the end point: counted, below → above is "out".
        assertEquals(List.of(cross("gate", 1, 3, OUT)), step(a, 3, at(1, 50, 90)).events());
        assertEquals(new ZoneCounts.LineCount(0, 1), gateCount(a));
    }

    @Test
    void aCrossingWhileMissedCountsWhenSeenAgain() {
        ZoneAnalytics a = gate();
        assertEquals(List.of(), step(a, 1, at(1, 50, 90)).events());
        for (int f = 2; f <= 4; f++) assertEquals(List.of(), step(a, f).events());
        assertEquals(List.of(cross("gate", 1, 5, IN)), step(a, 5, at(1, 60, 110)).events());
    }

    @Test
    void eventsComeInTrackIdOrderAndEachLineCounts() {
        ZoneAnalytics a = new ZoneAnalytics(ZoneFixtures.stream(List.of(),
                List.of(line("gate", 0, 100, 320, 100), line("v", 160, 0, 160, 240))), 30);
        step(a, 1, at(7, 150, 90), at(2, 100, 120));
        // Track 7 moves down over the gate (in) and rightwards over v, from v's right (x < 160, seen walking down v)
        // to its left (out); track 2 moves up over the gate (out). Listed 7 first, reported 2 first.
        FrameAnalytics f = step(a, 2, at(7, 170, 110), at(2, 100, 80));
        assertEquals(List.of(cross("gate", 2, 2, OUT), cross("gate", 7, 2, IN), cross("v", 7, 2, OUT)), f.events());
        assertEquals(Map.of("gate", new ZoneCounts.LineCount(1, 1), "v", new ZoneCounts.LineCount(0, 1)), a.counts().lines());
        assertEquals("line gate: in 1, out 1; line v: in 0, out 1", a.counts().summary());
    }
}
