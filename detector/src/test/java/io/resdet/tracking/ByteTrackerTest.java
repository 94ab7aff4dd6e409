package io.resdet.tracking;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ByteTracker on hand-built detection sequences: the ids it must give, frame by frame. */
class ByteTrackerTest {
    private static ByteTracker.Det box(double cx, double cy, double size, float score, int label) {
        return new ByteTracker.Det(cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2, score, label);
    }

    /** Per frame: detection index → track id (only the detections a confirmed track claimed). */
    private static List<Map<Integer, Integer>> run(ByteTracker t, List<List<ByteTracker.Det>> frames) {
        List<Map<Integer, Integer>> out = new ArrayList<>();
        for (List<ByteTracker.Det> f : frames) {
            Map<Integer, Integer> m = new TreeMap<>();
            for (TrackedObject o : t.update(f)) m.put(o.detection(), o.trackId());
            out.add(m);
        }
        return out;
    }

    @Test
    void twoObjectsCrossingKeepTheirIds() {
        // A moves right, B left, 6 px a frame each, 40 px boxes, same label, 8 px apart vertically: they overlap
        // almost completely around frame 16 (IoU up to 0.67), yet the Kalman velocities keep the ids apart.
        // Detections are listed B first in odd frames so list order cannot carry the answer.
        List<List<ByteTracker.Det>> frames = new ArrayList<>();
        for (int f = 0; f < 32; f++) {
            ByteTracker.Det a = box(20 + 6 * f, 100, 40, 0.9f, 1), b = box(212 - 6 * f, 108, 40, 0.9f, 1);
            frames.add(f % 2 == 0 ? List.of(a, b) : List.of(b, a));
        }
        List<Map<Integer, Integer>> ids = run(new ByteTracker(), frames);
        for (int f = 0; f < 32; f++) {
            // Frame 1 confirms at once: A (listed first) is 1, B is 2, throughout.
            Map<Integer, Integer> want = f % 2 == 0 ? Map.of(0, 1, 1, 2) : Map.of(0, 2, 1, 1);
            assertEquals(want, ids.get(f), "frame " + (f + 1));
        }
    }

    @Test
    void occlusionShorterThanTheBufferKeepsTheId() {
        // One object at 3 px/frame: seen for frames 1-20, hidden for 10 (buffer 30), seen again at the position its
        // motion predicts: the lost track is found again in the first association, id 1 throughout.
        List<List<ByteTracker.Det>> frames = new ArrayList<>();
        for (int f = 0; f < 45; f++) frames.add(f >= 20 && f < 30 ? List.of() : List.of(box(30 + 3 * f, 80, 40, 0.9f, 1)));
        List<Map<Integer, Integer>> ids = run(new ByteTracker(), frames);
        for (int f = 0; f < 45; f++) assertEquals(f >= 20 && f < 30 ? Map.of() : Map.of(0, 1), ids.get(f), "frame " + (f + 1));
    }

    @Test
    void occlusionLongerThanTheBufferGivesANewId() {
        // Buffer 5 frames at 30 fps; a still object hidden for frames 11-20 (10 frames). Its lost track (last seen
        // frame 10) is removed at frame 16 (16 - 10 > 5). At frame 21 the detection starts track 2, unconfirmed
        // (not frame 1), so nothing is reported; frame 22 confirms it: id 2 from then on.
        List<List<ByteTracker.Det>> frames = new ArrayList<>();
        for (int f = 0; f < 30; f++) frames.add(f >= 10 && f < 20 ? List.of() : List.of(box(100, 100, 40, 0.9f, 1)));
        List<Map<Integer, Integer>> ids = run(new ByteTracker(TrackerSettings.DEFAULT.withTrackBuffer(5)), frames);
        for (int f = 0; f < 30; f++) {
            Map<Integer, Integer> want = f < 10 ? Map.of(0, 1) : f < 21 ? Map.of() : Map.of(0, 2);
            assertEquals(want, ids.get(f), "frame " + (f + 1));
        }
        // The same gap within a 30-frame buffer: id 1 again, reported at once (a lost track needs no confirmation).
        ids = run(new ByteTracker(), frames);
        for (int f = 0; f < 30; f++) assertEquals(f >= 10 && f < 20 ? Map.of() : Map.of(0, 1), ids.get(f), "frame " + (f + 1));
        // fps scales the buffer: 5 frames at 30 fps is 10 at 60 fps, and 10 - 10 > 10 never holds: id 1 again.
        ids = run(new ByteTracker(TrackerSettings.DEFAULT.withTrackBuffer(5).withFps(60)), frames);
        assertEquals(Map.of(0, 1), ids.get(20));
    }

    @Test
    void lowScoreDetectionsKeepATrackAlive() {
        // Scores 0.9 for frames 1-5, 0.3 for 6-10 (partly occluded, say), 0.9 again (high: ≥ 0.75; new: ≥ 0.85). The second association
        // matches the 0.3 boxes to the tracked track, so it is reported in every frame with id 1.
        List<List<ByteTracker.Det>> frames = new ArrayList<>();
        for (int f = 0; f < 15; f++) frames.add(List.of(box(50 + 2 * f, 60, 30, f >= 5 && f < 10 ? 0.3f : 0.9f, 1)));
        List<Map<Integer, Integer>> ids = run(new ByteTracker(), frames);
        for (int f = 0; f < 15; f++) assertEquals(Map.of(0, 1), ids.get(f), "frame " + (f + 1));
        // Below the low threshold (0.05 < 0.1) the detections are ignored: the track is lost for frames 6-10 (not
        // reported), then found again by the first association with the same id.
        frames.clear();
        for (int f = 0; f < 15; f++) frames.add(List.of(box(50 + 2 * f, 60, 30, f >= 5 && f < 10 ? 0.05f : 0.9f, 1)));
        ids = run(new ByteTracker(), frames);
        for (int f = 0; f < 15; f++) assertEquals(f >= 5 && f < 10 ? Map.of() : Map.of(0, 1), ids.get(f), "frame " + (f + 1));
        // A low-score detection never starts a track, and with ByteTrack's threshold 0.5, 0.55 (≥ 0.5 but < 0.5 + 0.1)
        // does not either.
        ByteTracker t = new ByteTracker(TrackerSettings.BYTETRACK);
        assertTrue(t.update(List.of(box(10, 10, 20, 0.3f, 1), box(100, 100, 20, 0.55f, 1))).isEmpty());
        assertTrue(t.update(List.of(box(10, 10, 20, 0.3f, 1), box(100, 100, 20, 0.55f, 1))).isEmpty());
    }

    @Test
    void classAwareMatchingAndUnconfirmedTracks() {
        ByteTracker t = new ByteTracker(TrackerSettings.DEFAULT.withClassAware(true));
        assertEquals(1, t.update(List.of(box(50, 50, 30, 0.9f, 1))).get(0).trackId());
        // Same place, other label: class-aware, so track 1 is not continued; the detection starts track 2
        // (unconfirmed, frame 2), which the next frame confirms.
        assertTrue(t.update(List.of(box(50, 50, 30, 0.9f, 2))).isEmpty());
        List<TrackedObject> third = t.update(List.of(box(50, 50, 30, 0.9f, 2)));
        assertEquals(1, third.size());
        assertEquals(2, third.get(0).trackId());
        assertEquals(2, third.get(0).label());
        // Class-agnostic (the default, as ByteTrack): the label change does not break the track.
        ByteTracker any = new ByteTracker();
        any.update(List.of(box(50, 50, 30, 0.9f, 1)));
        assertEquals(1, any.update(List.of(box(50, 50, 30, 0.9f, 2))).get(0).trackId());
        // An unconfirmed track that misses its second frame is removed; the id is not reused.
        ByteTracker u = new ByteTracker();
        u.update(List.of());
        assertTrue(u.update(List.of(box(10, 10, 20, 0.9f, 1))).isEmpty()); // track 1, unconfirmed
        u.update(List.of());                                                   // removed
        u.update(List.of(box(10, 10, 20, 0.9f, 1)));                          // track 2, unconfirmed
        assertEquals(2, u.update(List.of(box(10, 10, 20, 0.9f, 1))).get(0).trackId());
    }

    @Test
    void kalmanFilterFollowsConstantVelocity() {
        KalmanFilter.State s = KalmanFilter.initiate(KalmanFilter.xyah(0, 0, 20, 40));
        for (int f = 1; f <= 30; f++) {
            s = KalmanFilter.predict(s);
            s = KalmanFilter.update(s, KalmanFilter.xyah(5 * f, 0, 20 + 5 * f, 40));
        }
        assertEquals(5, s.mean()[4], 0.05, "vx");
        assertEquals(0, s.mean()[5], 0.05, "vy");
        double[] next = KalmanFilter.box(KalmanFilter.predict(s).mean());
        assertEquals(155, next[0], 0.5);
        assertEquals(175, next[2], 0.5);
    }

    @Test
    void aRestoredSnapshotContinuesExactlyAsTheOriginal() throws Exception {
        // Crossing objects, an occlusion and a late arrival; the tracker is snapshotted after every frame, the
        // snapshot goes through JSON (as the stream service stores it), and the restored tracker must give the same
        // ids as the uninterrupted one for the rest of the sequence.
        List<List<ByteTracker.Det>> frames = new ArrayList<>();
        for (int f = 0; f < 40; f++) {
            List<ByteTracker.Det> d = new ArrayList<>();
            d.add(box(20 + 6 * f, 100, 40, 0.9f, 1));
            if (f < 12 || f > 18) d.add(box(230 - 5 * f, 104, 36, f % 3 == 0 ? 0.6f : 0.95f, 1));
            if (f > 25) d.add(box(150, 30, 30, 0.92f, 2));
            frames.add(d);
        }
        List<Map<Integer, Integer>> whole = run(new ByteTracker(), frames);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int cut : new int[] {1, 13, 17, 26, 39}) {
            ByteTracker first = new ByteTracker();
            run(first, frames.subList(0, cut));
            byte[] stored = json.writeValueAsBytes(first.snapshot());
            ByteTracker second = ByteTracker.restore(TrackerSettings.DEFAULT, json.readValue(stored, ByteTracker.Snapshot.class));
            assertEquals(cut, second.frame());
            assertEquals(whole.subList(cut, 40), run(second, frames.subList(cut, 40)), "restored after frame " + cut);
        }
    }

    @Test
    void anInconsistentSnapshotIsRefused() {
        ByteTracker t = new ByteTracker();
        t.update(List.of(box(50, 50, 20, 0.9f, 1)));
        ByteTracker.Snapshot s = t.snapshot();
        ByteTracker.Snapshot badId = new ByteTracker.Snapshot(s.frame(), 1, s.tracked(), s.lost());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ByteTracker.restore(TrackerSettings.DEFAULT, badId));
        assertEquals("tracker snapshot: track id 1 outside 1..0", e.getMessage());
    }
}
