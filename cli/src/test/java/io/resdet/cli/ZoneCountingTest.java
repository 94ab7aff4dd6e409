package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code detect --track --zones} on a generated video: the line counts and zone entries equal what the ground truth
 * says happened, worked out here from gt.txt with the same rule (bottom centre of the box, side changes).
 */
class ZoneCountingTest {
    @TempDir Path tmp;

    /** Two lines across the whole 320x240 frame (so any side change of an anchor is a crossing) and one zone. */
    private static final String ZONES = """
            {"streams": {"*": {
              "zones": [{"name": "pen", "polygon": [[20, 130], [150, 130], [150, 230], [20, 230]]}],
              "lines": [{"name": "mid", "from": [0, 120], "to": [320, 120]},
                        {"name": "col", "from": [200, 0], "to": [200, 240]}]}}}
            """;

    /** A ground-truth crossing: 0-based frame, line, direction. */
    private record Crossing(int frame, String line, String direction) {}

    /**
     * Seed 2, 3 objects, 60 frames (three crossings, both ways, and a zone entry and exit): checked first with {@code eval mot} (below) that the bundled model and the tracker
     * follow every object without a miss, false box or id switch, so the counts must match the ground truth exactly.
     */
    @Test
    void countsMatchTheGroundTruthOnACleanlyTrackedClip() throws Exception {
        Path seq = tmp.resolve("seq"), zones = tmp.resolve("zones.json"), res = tmp.resolve("res.txt"), ann = tmp.resolve("ann");
        assertEquals(0, CliRun.of("data", "synth-video", "--out", seq.toString(), "--seed", "2", "--frames", "60", "--objects", "3").code());
        Files.writeString(zones, ZONES);
        CliRun d = CliRun.of("detect", "--track", "--zones", zones.toString(), "--mot-results", res.toString(), "--out", ann.toString(),
                seq.resolve("video.mp4").toString());
        assertEquals(0, d.code(), d.err());
        CliRun e = CliRun.of("eval", "mot", "--gt", seq.resolve("gt").resolve("gt.txt").toString(), "--dt", res.toString(), "--json");
        JsonNode mot = new ObjectMapper().readTree(e.out());
        assertEquals(1.0, mot.get("mota").asDouble(), "precondition: a clip the tracker follows perfectly; " + e.out());
        assertEquals(0, mot.get("id_switches").asInt(), e.out());

        List<Crossing> expected = new ArrayList<>();
        int[] pen = groundTruth(Files.readAllLines(seq.resolve("gt").resolve("gt.txt")), expected);
        long in = expected.stream().filter(c -> c.direction().equals("in")).count();
        assertTrue(in >= 1 && in < expected.size(), "the clip has crossings both ways: " + expected);

        List<Crossing> got = new ArrayList<>();
        ObjectMapper om = new ObjectMapper();
        List<String> lines = d.out().strip().lines().toList();
        assertEquals(60, lines.size());
        int entries = 0, exits = 0;
        for (String l : lines) {
            JsonNode j = om.readTree(l);
            assertTrue(j.get("zones").has("pen"), l);
            for (JsonNode ev : j.path("events")) {
                switch (ev.get("event").asText()) {
                    case "cross" -> got.add(new Crossing(ev.get("frame").asInt(), ev.get("line").asText(), ev.get("direction").asText()));
                    case "enter" -> entries++;
                    case "exit" -> exits++;
                    default -> throw new AssertionError(l);
                }
            }
        }
        got.sort((a, b) -> a.frame() != b.frame() ? Integer.compare(a.frame(), b.frame()) : a.line().compareTo(b.line()));
        assertEquals(expected.size(), got.size(), "expected " + expected + ", got " + got);
        for (int k = 0; k < expected.size(); k++) {
            Crossing want = expected.get(k), have = got.get(k);
            assertEquals(want.line() + " " + want.direction(), have.line() + " " + have.direction(), "crossing " + k + ": " + expected + " vs " + got);
            // The same crossing a few frames apart: the tracker's box is a Kalman estimate of the whole shape, the
            // ground truth the visible extent; at 0.6-1.8 px a frame, 4 frames are a few pixels.
            assertTrue(Math.abs(want.frame() - have.frame()) <= 4, "crossing " + k + ": " + expected + " vs " + got);
        }
        assertEquals(pen[0], entries);
        assertEquals(pen[1], exits);
        String summary = String.format("resdet detect: %s: line mid: in %d, out %d; line col: in %d, out %d; zone pen: entries %d, exits %d",
                seq.resolve("video.mp4"), count(expected, "mid", "in"), count(expected, "mid", "out"), count(expected, "col", "in"),
                count(expected, "col", "out"), pen[0], pen[1]);
        assertEquals(summary, d.lastErrLine());
        assertTrue(Files.size(ann.resolve("video.annotated.mp4")) > 0);
    }

    private static long count(List<Crossing> cs, String line, String direction) {
        return cs.stream().filter(c -> c.line().equals(line) && c.direction().equals(direction)).count();
    }

    /**
     * Crossings of the two lines by the ground-truth boxes' bottom centres, in frame order (a side change of an anchor
     * strictly off the line; "in" is down over mid, leftwards over col, whose right side as seen walking down it is
     * x &lt; 200), and the pen's entries and exits (inside including the edges; first seen inside is an entry).
     */
    private static int[] groundTruth(List<String> gt, List<Crossing> crossings) {
        Map<String, Integer> side = new HashMap<>();
        Map<Integer, Boolean> inPen = new HashMap<>();
        int entries = 0, exits = 0;
        for (String row : gt) {
            String[] f = row.split(",");
            int frame = Integer.parseInt(f[0]) - 1, id = Integer.parseInt(f[1]);
            double x = Double.parseDouble(f[2]), y = Double.parseDouble(f[3]), w = Double.parseDouble(f[4]), h = Double.parseDouble(f[5]);
            double ax = x + w / 2, ay = y + h;
            int mid = (int) Math.signum(ay - 120), col = (int) Math.signum(200 - ax);
            for (Object[] l : new Object[][] {{"mid", mid}, {"col", col}}) {
                int s = (int) l[1];
                if (s == 0) continue;
                Integer before = side.put(id + "/" + l[0], s);
                if (before != null && before != s) crossings.add(new Crossing(frame, (String) l[0], s > 0 ? "in" : "out"));
            }
            boolean inside = ax >= 20 && ax <= 150 && ay >= 130 && ay <= 230, was = inPen.getOrDefault(id, false);
            if (inside && !was) entries++;
            if (!inside && was) exits++;
            inPen.put(id, inside);
        }
        crossings.sort((a, b) -> a.frame() != b.frame() ? Integer.compare(a.frame(), b.frame()) : a.line().compareTo(b.line()));
        return new int[] {entries, exits};
    }

    @Test
    void zonesNeedTrackAndAGoodFile() throws Exception {
        Path seq = tmp.resolve("s");
        assertEquals(0, CliRun.of("data", "synth-video", "--out", seq.toString(), "--seed", "4", "--frames", "2", "--size", "64x48").code());
        Path zones = tmp.resolve("zones.json");
        Files.writeString(zones, ZONES);
        CliRun noTrack = CliRun.of("detect", "--zones", zones.toString(), seq.resolve("video.mp4").toString());
        assertEquals(2, noTrack.code());
        assertEquals("resdet detect: --zones needs --track (zones count tracks)", noTrack.lastErrLine());
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"streams\": {\"video\": {\"lines\": [{\"name\": \"g\", \"from\": [1, 2], \"to\": [1, 2]}]}}}");
        CliRun r = CliRun.of("detect", "--track", "--zones", bad.toString(), seq.resolve("video.mp4").toString());
        assertEquals(2, r.code());
        assertEquals("resdet detect: " + bad + ": streams.video.lines[0]: from and to are the same point: a line needs a length", r.lastErrLine());
    }
}
