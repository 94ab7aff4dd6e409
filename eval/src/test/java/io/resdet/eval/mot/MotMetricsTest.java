package io.resdet.eval.mot;

import io.resdet.eval.EvalInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * MOT metrics on hand-built sequences; every expected value is derived in the comments (IoU threshold 0.5 unless
 * said). Boxes are x, y, w, h.
 */
class MotMetricsTest {
    @TempDir Path tmp;

    /** Builds a file from rows {frame, id, x, y, w, h}. */
    private static MotFile file(double[]... rows) {
        Map<Integer, List<MotFile.Box>> m = new TreeMap<>();
        for (double[] r : rows) m.computeIfAbsent((int) r[0], k -> new ArrayList<>()).add(new MotFile.Box((int) r[1], r[2], r[3], r[4], r[5], 1));
        return MotFile.of(m);
    }

    private static double[] r(double... v) {
        return v;
    }

    @Test
    void perfectTracking() {
        // Two objects, three frames, tracker boxes identical under other ids: nothing missed, nothing extra, one id
        // each. MOTA = IDF1 = 1; HOTA: IoU 1 everywhere, alignment 1, every α matches: DetA = AssA = HOTA = 1.
        MotFile gt = file(r(1, 1, 0, 0, 10, 10), r(1, 2, 50, 0, 10, 10), r(2, 1, 1, 0, 10, 10), r(2, 2, 49, 0, 10, 10),
                r(3, 1, 2, 0, 10, 10), r(3, 2, 48, 0, 10, 10));
        MotFile dt = file(r(1, 10, 0, 0, 10, 10), r(1, 20, 50, 0, 10, 10), r(2, 10, 1, 0, 10, 10), r(2, 20, 49, 0, 10, 10),
                r(3, 10, 2, 0, 10, 10), r(3, 20, 48, 0, 10, 10));
        MotResult m = MotMetrics.evaluate(gt, dt, 0.5);
        assertEquals(3, m.frames());
        assertEquals(6, m.gtObjects());
        assertEquals(6, m.matches());
        assertEquals(1.0, m.mota(), 1e-12);
        assertEquals(1.0, m.idf1(), 1e-12);
        assertEquals(1.0, m.hota(), 1e-12);
        assertEquals(1.0, m.motp(), 1e-12);
        assertEquals(2, m.mostlyTracked());
        assertEquals(0, m.idSwitches() + m.fragmentations() + m.falsePositives() + m.misses());
    }

    @Test
    void idSwitch() {
        // One object, 4 frames, same box; the tracker calls it 5 in frames 1-2 and 6 in frames 3-4.
        // CLEAR: frame 3's previous match (5) is absent, so 6 is matched by assignment and differs: 1 switch.
        //   MOTA = 1 - (0 FN + 0 FP + 1 IDSW) / 4 = 0.75. No frame is missed: 0 fragmentations.
        // IDF1: pairs (1,5) and (1,6) overlap in 2 frames each; the best pairing takes one: IDTP 2, IDFN 4-2 = 2,
        //   IDFP 4-2 = 2, IDF1 = 4 / (4 + 2 + 2) = 0.5.
        // HOTA: IoU 1 so every α matches in every frame: DetA = 4/4 = 1. Pair (1,5): 2 matches, Jaccard
        //   2/(4 + 2 - 2) = 0.5, likewise (1,6): AssA = (2·0.5 + 2·0.5)/4 = 0.5. HOTA = √0.5.
        MotFile gt = file(r(1, 1, 0, 0, 10, 10), r(2, 1, 0, 0, 10, 10), r(3, 1, 0, 0, 10, 10), r(4, 1, 0, 0, 10, 10));
        MotFile dt = file(r(1, 5, 0, 0, 10, 10), r(2, 5, 0, 0, 10, 10), r(3, 6, 0, 0, 10, 10), r(4, 6, 0, 0, 10, 10));
        MotResult m = MotMetrics.evaluate(gt, dt, 0.5);
        assertEquals(1, m.idSwitches());
        assertEquals(3, m.matches());
        assertEquals(0, m.fragmentations());
        assertEquals(0.75, m.mota(), 1e-12);
        assertEquals(2, m.idtp());
        assertEquals(2, m.idfp());
        assertEquals(2, m.idfn());
        assertEquals(0.5, m.idf1(), 1e-12);
        assertEquals(1.0, m.detA(), 1e-12);
        assertEquals(0.5, m.assA(), 1e-12);
        assertEquals(Math.sqrt(0.5), m.hota(), 1e-12);
    }

    @Test
    void switchAcrossAGapIsStillASwitchAndTheGapAFragmentation() {
        // One object in frames 1-5; tracker: id 7 in frames 1-2, nothing in 3, id 8 in 4-5.
        // Frame 3: a miss. Frame 4: the last match (7, two frames ago) differs from 8: py-motmetrics counts a
        // switch however old the last match is. MOTA = 1 - (1 FN + 0 FP + 1 IDSW)/5 = 0.6.
        // Tracked, tracked, missed, tracked, tracked: one fragmentation.
        // IDF1: IDTP 2 (either id), IDFN 5 - 2 = 3, IDFP 4 - 2 = 2: 4 / (4 + 2 + 3) = 4/9.
        // HOTA: TP 4, FN 1, FP 0 at every α: DetA 0.8. (1,7): 2 matches, 2/(5 + 2 - 2) = 0.4, (1,8) the same:
        //   AssA = (2·0.4 + 2·0.4)/4 = 0.4. HOTA = √(0.8·0.4) = √0.32.
        MotFile gt = file(r(1, 1, 0, 0, 10, 10), r(2, 1, 0, 0, 10, 10), r(3, 1, 0, 0, 10, 10), r(4, 1, 0, 0, 10, 10), r(5, 1, 0, 0, 10, 10));
        MotFile dt = file(r(1, 7, 0, 0, 10, 10), r(2, 7, 0, 0, 10, 10), r(4, 8, 0, 0, 10, 10), r(5, 8, 0, 0, 10, 10));
        MotResult m = MotMetrics.evaluate(gt, dt, 0.5);
        assertEquals(1, m.idSwitches());
        assertEquals(1, m.misses());
        assertEquals(1, m.fragmentations());
        assertEquals(0.6, m.mota(), 1e-12);
        assertEquals(4.0 / 9, m.idf1(), 1e-12);
        assertEquals(0.8, m.detA(), 1e-12);
        assertEquals(0.4, m.assA(), 1e-12);
        assertEquals(Math.sqrt(0.32), m.hota(), 1e-12);
        // The same id after the gap: no switch (the old correspondence is re-established), still one fragmentation.
        MotFile same = file(r(1, 7, 0, 0, 10, 10), r(2, 7, 0, 0, 10, 10), r(4, 7, 0, 0, 10, 10), r(5, 7, 0, 0, 10, 10));
        MotResult s = MotMetrics.evaluate(gt, same, 0.5);
        assertEquals(0, s.idSwitches());
        assertEquals(1, s.fragmentations());
        assertEquals(0.8, s.mota(), 1e-12);
        assertEquals(0.8 * 2 / 1.8, s.idf1(), 1e-12); // IDTP 4, IDFN 1, IDFP 0: 8/9
    }

    @Test
    void fragmentationCornerCases() {
        // Object 1 in frames 1-7, tracked (id 3) in 2, 3, 5, 7: missed, T, T, missed, T, missed, T. Misses before
        //   the first tracked frame do not count; the gaps at 4 and 6 each do: 2 fragmentations.
        // Object 2 in frames 1-3, tracked (id 4) in 1-2: T, T, missed. A miss after the last tracked frame is no
        //   fragmentation: 0.
        // Object 5 in frames 1, 2, 4 (absent from the ground truth in 3), tracked (id 9) whenever present: the
        //   frames where it is absent are not looked at, so no fragmentation (TrackEval's Frag would count 1).
        // Misses 3 + 1 + 0 = 4 over 7 + 3 + 3 = 13 boxes: MOTA = 1 - 4/13. MT (≥ 80%): object 5 only;
        //   PT: objects 1 (4/7) and 2 (2/3).
        List<double[]> g = new ArrayList<>(), d = new ArrayList<>();
        for (int f = 1; f <= 7; f++) g.add(r(f, 1, 0, 0, 10, 10));
        for (int f : new int[] {2, 3, 5, 7}) d.add(r(f, 3, 0, 0, 10, 10));
        for (int f = 1; f <= 3; f++) g.add(r(f, 2, 50, 0, 10, 10));
        for (int f = 1; f <= 2; f++) d.add(r(f, 4, 50, 0, 10, 10));
        for (int f : new int[] {1, 2, 4}) {
            g.add(r(f, 5, 100, 0, 10, 10));
            d.add(r(f, 9, 100, 0, 10, 10));
        }
        MotResult m = MotMetrics.evaluate(file(g.toArray(double[][]::new)), file(d.toArray(double[][]::new)), 0.5);
        assertEquals(2, m.fragmentations());
        assertEquals(4, m.misses());
        assertEquals(0, m.idSwitches());
        assertEquals(1 - 4.0 / 13, m.mota(), 1e-12);
        assertEquals(1, m.mostlyTracked());
        assertEquals(2, m.partiallyTracked());
        assertEquals(0, m.mostlyLost());
    }

    @Test
    void previousMatchIsKeptOverABetterAssignment() {
        // Frame 1: object 1 ↔ tracker 5 (exact), object 2 ↔ tracker 6 (exact).
        // Frame 2: only object 1, at (0,0,10,10). Tracker 5 at (2,0,10,10): IoU 80/120 = 0.667 ≥ 0.5;
        //   tracker 6 at (0,0,10,10): IoU 1. Alone, the assignment would pick 6 (distance 0); CLEAR keeps 5 because it
        //   is still close enough, and 6 is a false positive. No switch. MOTA = 1 - 1 FP / 3 boxes = 2/3.
        MotFile gt = file(r(1, 1, 0, 0, 10, 10), r(1, 2, 100, 0, 10, 10), r(2, 1, 0, 0, 10, 10));
        MotFile dt = file(r(1, 5, 0, 0, 10, 10), r(1, 6, 100, 0, 10, 10), r(2, 5, 2, 0, 10, 10), r(2, 6, 0, 0, 10, 10));
        MotResult m = MotMetrics.evaluate(gt, dt, 0.5);
        assertEquals(0, m.idSwitches());
        assertEquals(1, m.falsePositives());
        assertEquals(2.0 / 3, m.mota(), 1e-12);
        // MOTP (mean IoU of the matches): (1 + 1 + 2/3) / 3.
        assertEquals((2 + 2.0 / 3) / 3, m.motp(), 1e-12);
    }

    @Test
    void iouThresholdIsInclusiveAndHotaAveragesOverAlpha() {
        // IoU exactly 0.5 (a 10x10 box inside a 10x20 one): a match at --iou 0.5, not at 0.6.
        MotFile gt = file(r(1, 1, 0, 0, 10, 10));
        MotFile dt = file(r(1, 2, 0, 0, 10, 20));
        MotResult m = MotMetrics.evaluate(gt, dt, 0.5);
        assertEquals(1.0, m.mota(), 1e-12);
        assertEquals(1.0, m.idf1(), 1e-12);
        MotResult strict = MotMetrics.evaluate(gt, dt, 0.6);
        assertEquals(1 - 2.0, strict.mota(), 1e-12); // 1 FN + 1 FP over 1 box
        assertEquals(0.0, strict.idf1(), 1e-12);
        // HOTA: IoU 0.5 matches for α = 0.05 .. 0.50 (10 of 19), each with DetA = AssA = 1; for the 9 higher α
        //   nothing matches: DetA = 0/(0 + 1 + 1) = 0. HOTA = DetA = AssA = 10/19. LocA: 0.5 where matched, and
        //   TrackEval's 1e-10/1e-10 = 1 where not: (10·0.5 + 9)/19.
        assertEquals(10.0 / 19, m.hota(), 1e-12);
        assertEquals(10.0 / 19, m.detA(), 1e-12);
        assertEquals(10.0 / 19, m.assA(), 1e-12);
        assertEquals(14.0 / 19, m.locA(), 1e-12);
    }

    @Test
    void readsMotChallengeFilesAndRejectsBadLines() throws IOException {
        Path gt = tmp.resolve("gt.txt");
        Files.writeString(gt, "1,1,10,20,30,40,1,1,1.0\n\n1,2,0,0,5,5,0,1,1\n2,1,11,20,30,40,1,1,0.5\n");
        MotFile f = MotFile.read(gt, true);
        assertEquals(1, f.frame(1).size(), "conf 0 rows of ground truth are ignored");
        assertEquals(new MotFile.Box(1, 11, 20, 30, 40, 1), f.frame(2).get(0));
        assertEquals(2, MotFile.read(gt, false).frame(1).size(), "tracker rows are all kept");
        Path bad = tmp.resolve("res.txt");
        Files.writeString(bad, "1,1,10,20,30,40,1\n2,x,1,1,1,1,1\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> MotFile.read(bad, false));
        assertEquals(bad + ":2: id is not a number: 'x'", e.getMessage());
        Files.writeString(bad, "1,1,10,20,30,40\n");
        assertEquals(bad + ":1: expected frame,id,x,y,w,h,conf, got 6 fields", assertThrows(EvalInputException.class, () -> MotFile.read(bad, false)).getMessage());
        Files.writeString(bad, "0,1,10,20,30,40,1\n");
        assertEquals(bad + ":1: frame must be 1 or more, got 0", assertThrows(EvalInputException.class, () -> MotFile.read(bad, false)).getMessage());
        Files.writeString(bad, "3,1,10,20,30,40,1\n3,1,1,1,1,1,1\n");
        assertEquals(bad + ":2: id 1 appears twice in frame 3", assertThrows(EvalInputException.class, () -> MotFile.read(bad, false)).getMessage());
        assertEquals("3,7,1.50,2.00,3.00,4.00,0.9000,-1,-1,-1", MotFile.line(3, 7, 1.5, 2, 3, 4, 0.9));
    }
}
