package io.resdet.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.tracking.TrackedObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.resdet.analytics.ZoneFixtures.at;
import static io.resdet.analytics.ZoneFixtures.line;
import static io.resdet.analytics.ZoneFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ZoneAnalytics#snapshot()} / {@link ZoneAnalytics#restore}: a state carried through JSON text decides the rest of a sequence identically. */
class ZoneSnapshotTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Zones.StreamZones ZONES = ZoneFixtures.stream(
            List.of(zone("door", 100, 100, 200, 100, 200, 200, 100, 200), zone("tri", 0, 0, 90, 0, 0, 90)),
            List.of(line("gate", 0, 120, 320, 120), line("v", 160, 0, 160, 240)));
    private static final int FRAMES = 40, LOST_AFTER = 3;

    /**
     * Frame f's tracks: 1 walks down and right through the door, the gate and v; 2 jitters across the gate at x 40,
     * with fractional positions; 3 sits in the triangle and vanishes after frame 12 (lost at 16); 4 appears at 20 on
     * the gate line, is missed in frames 25-26, and comes back below it.
     */
    private static List<TrackedObject> frame(int f) {
        List<TrackedObject> t = new ArrayList<>();
        t.add(at(1, 60 + 6.5 * f, 60 + 4.25 * f));
        t.add(at(2, 40, 120 + (f % 3 == 0 ? -1.0 / 3 : 0.7)));
        if (f <= 12) t.add(at(3, 20, 30));
        if (f >= 20 && (f < 25 || f > 26)) t.add(at(4, 250, f < 25 ? 120 : 140));
        return t;
    }

    private static FrameAnalytics step(ZoneAnalytics a, int f) {
        return a.update(f, 1000L * f / 30, 320, 240, frame(f));
    }

    @Test
    void restoredMidSequenceGivesTheSameLaterEvents() throws Exception {
        ZoneAnalytics whole = new ZoneAnalytics(ZONES, LOST_AFTER);
        List<FrameAnalytics> expected = new ArrayList<>();
        for (int f = 1; f <= FRAMES; f++) expected.add(step(whole, f));
        // The sequence exercises every kind of event, so the comparison below means something.
        List<ZoneEvent> all = expected.stream().flatMap(x -> x.events().stream()).toList();
        for (ZoneEvent.Kind k : ZoneEvent.Kind.values()) assertTrue(all.stream().anyMatch(e -> e.kind() == k), k.toString());
        assertTrue(all.stream().anyMatch(e -> e.reason() == ZoneEvent.Reason.LOST));
        for (int split = 1; split < FRAMES; split++) {
            ZoneAnalytics first = new ZoneAnalytics(ZONES, LOST_AFTER);
            for (int f = 1; f <= split; f++) step(first, f);
            JsonNode text = JSON.readTree(first.snapshot().toString());
            ZoneAnalytics rest = ZoneAnalytics.restore(ZONES, LOST_AFTER, text);
            assertEquals(first.counts(), rest.counts(), "split " + split);
            assertEquals(first.occupancy(), rest.occupancy(), "split " + split);
            for (int f = split + 1; f <= FRAMES; f++) assertEquals(expected.get(f - 1), step(rest, f), "split " + split + ", frame " + f);
            assertEquals(whole.snapshot(), rest.snapshot(), "split " + split);
        }
    }

    @Test
    void snapshotLooksAsDocumented() throws Exception {
        ZoneAnalytics a = new ZoneAnalytics(ZONES, LOST_AFTER);
        a.update(7, 233, 320, 240, List.of(at(3, 20, 30), at(2, 40.5, 110)));
        a.update(8, 266, 320, 240, List.of(at(2, 40.5, 130.25)));
        assertEquals(JSON.readTree("""
                {"format": "resdet-zone-analytics", "version": 1, "updates": 2,
                 "tracks": [{"id": 2, "label": 1, "last_seen": 2, "zones": [],
                             "lines": {"gate": {"side": 1, "point": [40.5, 130.25]}, "v": {"side": 1, "point": [40.5, 130.25]}}},
                            {"id": 3, "label": 1, "last_seen": 1, "zones": ["tri"],
                             "lines": {"gate": {"side": -1, "point": [20.0, 30.0]}, "v": {"side": 1, "point": [20.0, 30.0]}}}],
                 "counts": {"lines": {"gate": {"in": 1, "out": 0}, "v": {"in": 0, "out": 0}},
                            "zones": {"door": {"entries": 0, "exits": 0}, "tri": {"entries": 1, "exits": 0}}}}
                """).toString(), a.snapshot().toString(), "same text (int and long nodes differ in equals)");
    }

    @Test
    void restoreIntoChangedZonesKeepsOnlyNamesThatStillExist() throws Exception {
        ZoneAnalytics a = new ZoneAnalytics(ZONES, LOST_AFTER);
        for (int f = 1; f <= 12; f++) step(a, f);
        Zones.StreamZones fewer = ZoneFixtures.stream(List.of(zone("tri", 0, 0, 90, 0, 0, 90), zone("new", 0, 0, 5, 0, 0, 5)),
                List.of(line("gate", 0, 120, 320, 120)));
        ZoneAnalytics r = ZoneAnalytics.restore(fewer, LOST_AFTER, a.snapshot());
        assertEquals(Map.of("gate", a.counts().lines().get("gate")), r.counts().lines());
        assertEquals(Map.of("tri", a.counts().zones().get("tri"), "new", new ZoneCounts.ZoneCount(0, 0)), r.counts().zones());
        assertEquals(Map.of("tri", 1, "new", 0), r.occupancy());
    }

    @Test
    void withoutTracksKeepsTheCountsAndForgetsTheSides() {
        ZoneAnalytics a = new ZoneAnalytics(ZONES, LOST_AFTER);
        a.update(1, 0, 320, 240, List.of(at(2, 40, 110)));
        a.update(2, 33, 320, 240, List.of(at(2, 40, 130)));
        assertEquals(1, a.counts().lines().get("gate").in());
        // A restarted tracker calls a new object 2, first seen above the gate: with the old sides it would count "out".
        ZoneAnalytics counts = ZoneAnalytics.restore(ZONES, LOST_AFTER, ZoneAnalytics.withoutTracks(a.snapshot()));
        assertEquals(a.counts(), counts.counts());
        assertEquals(List.of(), counts.update(3, 66, 320, 240, List.of(at(2, 40, 100))).events());
        ZoneAnalytics full = ZoneAnalytics.restore(ZONES, LOST_AFTER, a.snapshot());
        assertEquals(1, full.update(3, 66, 320, 240, List.of(at(2, 40, 100))).events().size(), "the full state carries the side");
    }

    @Test
    void refusesMalformedSnapshots() throws Exception {
        ZoneAnalytics a = new ZoneAnalytics(ZONES, LOST_AFTER);
        step(a, 1);
        String good = a.snapshot().toString();
        assertRefused(good.replace("resdet-zone-analytics", "x"), "zone analytics snapshot: format: expected \"resdet-zone-analytics\", got \"x\"");
        assertRefused(good.replace("\"version\":1", "\"version\":2"), "zone analytics snapshot: version: expected 1, got 2");
        assertRefused(good.replace("\"last_seen\":1", "\"last_seen\":1.5"), "zone analytics snapshot: tracks[0].last_seen: expected a non-negative integer, got 1.5");
        assertRefused(good.replace("\"side\":-1", "\"side\":0"), "zone analytics snapshot: tracks[0].lines.gate.side: expected -1 or 1");
        assertRefused("[]", "zone analytics snapshot: expected an object");
    }

    private static void assertRefused(String json, String message) throws Exception {
        JsonNode node = JSON.readTree(json);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZoneAnalytics.restore(ZONES, LOST_AFTER, node));
        assertEquals(message, e.getMessage());
    }
}
