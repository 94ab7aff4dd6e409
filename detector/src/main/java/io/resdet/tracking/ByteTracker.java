package io.resdet.tracking;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Multi-object tracking by detection, ByteTrack's algorithm (Zhang et al. 2022, {@code byte_tracker.py}) for one
 * stream: feed each frame's detections to {@link #update} in order and get the confirmed tracks that continue in it.
 *
 * <ol>
 *   <li>Every tracked and lost track is moved one frame ahead by its {@link KalmanFilter}.</li>
 *   <li>High detections (score ≥ trackThresh) are matched to those tracks (cost 1 - IoU, fused with the score;
 *       Hungarian with cost limit matchThresh). Lost tracks that match come back with their id.</li>
 *   <li>Low detections (lowThresh &lt; score &lt; trackThresh) are matched to the still unmatched tracked tracks
 *       (limit 0.5): an occluded, dimly detected object keeps its track. Tracked tracks left over become lost.</li>
 *   <li>Unconfirmed tracks (started last frame) are matched to the remaining high detections (limit 0.7); those
 *       that miss are removed.</li>
 *   <li>Remaining high detections at ≥ trackThresh + 0.1 start tracks, confirmed at once in the first frame, else
 *       on their next match. Lost tracks unmatched for more than {@link TrackerSettings#maxTimeLost} frames are
 *       removed; a tracked and a lost track overlapping with IoU &gt; 0.85 are merged into the older.</li>
 * </ol>
 * With {@link TrackerSettings#classAware} a detection can only continue a track of its own label. Deterministic:
 * ties are broken by list order. Not thread-safe; keep one per stream.
 *
 * <p>{@link #snapshot} and {@link #restore} carry the whole state (tracks with their filters, the frame count, the next
 * id) across a process: a tracker restored from a snapshot continues exactly as the original would have, which is
 * what lets a stream move to another service replica without its objects changing ids.
 */
public final class ByteTracker {
    /** One detection of a frame: box {@code x1, y1, x2, y2}, score, label. */
    public record Det(double x1, double y1, double x2, double y2, float score, int label) {}

    public enum State { TRACKED, LOST, REMOVED }

    /** One track as {@link #snapshot} records it. */
    public record TrackSnapshot(int id, int label, State state, boolean activated, float score, int startFrame,
                                int endFrame, double[] mean, double[][] cov) {}

    /** Everything a tracker needs to continue: tracked and lost tracks, frames seen, the next id to give. */
    public record Snapshot(int frame, int nextId, List<TrackSnapshot> tracked, List<TrackSnapshot> lost) {}

    static final class Track {
        int id;
        final int label;
        State state = State.TRACKED;
        boolean activated;
        KalmanFilter.State kf;
        float score;
        int startFrame, endFrame, detection = -1;

        Track(float score, int label) {
            this.label = label;
            this.score = score;
        }

        double[] box() {
            return KalmanFilter.box(kf.mean());
        }
    }

    private final TrackerSettings settings;
    private List<Track> tracked = new ArrayList<>(), lost = new ArrayList<>();
    private int frame, nextId = 1;

    public ByteTracker(TrackerSettings settings) {
        this.settings = settings;
    }

    public ByteTracker() {
        this(TrackerSettings.DEFAULT);
    }

    public TrackerSettings settings() {
        return settings;
    }

    /** The tracker's state now; {@link #restore} continues from it. */
    public Snapshot snapshot() {
        return new Snapshot(frame, nextId, snapshots(tracked), snapshots(lost));
    }

    /** A tracker that continues where {@code s} left off; throws {@link IllegalArgumentException} if it is inconsistent. */
    public static ByteTracker restore(TrackerSettings settings, Snapshot s) {
        ByteTracker t = new ByteTracker(settings);
        if (s.frame() < 0 || s.nextId() < 1) throw new IllegalArgumentException("tracker snapshot: frame " + s.frame() + ", next id " + s.nextId());
        t.frame = s.frame();
        t.nextId = s.nextId();
        t.tracked = tracks(s.tracked(), s.nextId());
        t.lost = tracks(s.lost(), s.nextId());
        return t;
    }

    private static List<TrackSnapshot> snapshots(List<Track> tracks) {
        List<TrackSnapshot> out = new ArrayList<>();
        for (Track t : tracks) {
            double[][] cov = new double[t.kf.cov().length][];
            for (int i = 0; i < cov.length; i++) cov[i] = t.kf.cov()[i].clone();
            out.add(new TrackSnapshot(t.id, t.label, t.state, t.activated, t.score, t.startFrame, t.endFrame, t.kf.mean().clone(), cov));
        }
        return out;
    }

    private static List<Track> tracks(List<TrackSnapshot> snaps, int nextId) {
        List<Track> out = new ArrayList<>();
        for (TrackSnapshot s : snaps) {
            if (s.id() < 1 || s.id() >= nextId) throw new IllegalArgumentException("tracker snapshot: track id " + s.id() + " outside 1.." + (nextId - 1));
            if (s.mean() == null || s.mean().length != 8 || s.cov() == null || s.cov().length != 8)
                throw new IllegalArgumentException("tracker snapshot: track " + s.id() + " needs an 8-state mean and an 8x8 covariance");
            double[][] cov = new double[8][];
            for (int i = 0; i < 8; i++) {
                if (s.cov()[i] == null || s.cov()[i].length != 8) throw new IllegalArgumentException("tracker snapshot: track " + s.id() + " covariance row " + i);
                cov[i] = s.cov()[i].clone();
            }
            Track t = new Track(s.score(), s.label());
            t.id = s.id();
            t.state = s.state();
            t.activated = s.activated();
            t.startFrame = s.startFrame();
            t.endFrame = s.endFrame();
            t.kf = new KalmanFilter.State(s.mean().clone(), cov);
            out.add(t);
        }
        return out;
    }

    /** Confirmed tracks being followed now (not lost). */
    public int activeTracks() {
        int n = 0;
        for (Track t : tracked) if (t.activated) n++;
        return n;
    }

    /** Frames seen so far. */
    public int frame() {
        return frame;
    }

    /** The next frame's detections; returns the confirmed tracks continued or started in it, by track id. */
    public List<TrackedObject> update(List<Det> dets) {
        frame++;
        double th = settings.trackThresh();
        List<Integer> high = new ArrayList<>(), low = new ArrayList<>();
        boolean[] suppressed = suppressOverlaps(dets);
        for (int i = 0; i < dets.size(); i++) {
            Det d = dets.get(i);
            if (suppressed[i] || !(d.x2() > d.x1() && d.y2() > d.y1())) continue; // an empty box cannot be tracked
            if (d.score() >= th) high.add(i);
            else if (d.score() > settings.lowThresh()) low.add(i);
        }
        List<Track> activatedNow = new ArrayList<>(), refound = new ArrayList<>(), lostNow = new ArrayList<>(), removedNow = new ArrayList<>();
        List<Track> unconfirmed = new ArrayList<>(), confirmed = new ArrayList<>();
        for (Track t : tracked) {
            t.detection = -1;
            (t.activated ? confirmed : unconfirmed).add(t);
        }
        for (Track t : lost) t.detection = -1;

        // First association: high detections against tracked + lost tracks, all predicted.
        List<Track> pool = joint(confirmed, lost);
        for (Track t : pool) {
            if (t.state != State.TRACKED) t.kf.mean()[7] = 0;
            t.kf = KalmanFilter.predict(t.kf);
        }
        LinearAssignment.Result r1 = LinearAssignment.solve(cost(pool, dets, high, settings.fuseScore()), pool.size(), high.size(), settings.matchThresh());
        for (int[] m : r1.matches()) {
            Track t = pool.get(m[0]);
            apply(t, dets, high.get(m[1]));
            (t.state == State.TRACKED ? activatedNow : refound).add(t);
            t.state = State.TRACKED;
        }

        // Second association: low detections against the tracked tracks left over.
        List<Track> remaining = new ArrayList<>();
        for (int i : r1.unmatchedRows()) if (pool.get(i).state == State.TRACKED) remaining.add(pool.get(i));
        LinearAssignment.Result r2 = LinearAssignment.solve(cost(remaining, dets, low, false), remaining.size(), low.size(), 0.5);
        for (int[] m : r2.matches()) {
            Track t = remaining.get(m[0]);
            apply(t, dets, low.get(m[1]));
            activatedNow.add(t);
        }
        for (int i : r2.unmatchedRows()) {
            Track t = remaining.get(i);
            if (t.state != State.LOST) {
                t.state = State.LOST;
                lostNow.add(t);
            }
        }

        // Unconfirmed tracks against the high detections left over.
        List<Integer> highLeft = new ArrayList<>();
        for (int j : r1.unmatchedCols()) highLeft.add(high.get(j));
        LinearAssignment.Result r3 = LinearAssignment.solve(cost(unconfirmed, dets, highLeft, settings.fuseScore()), unconfirmed.size(), highLeft.size(), 0.7);
        for (int[] m : r3.matches()) {
            Track t = unconfirmed.get(m[0]);
            apply(t, dets, highLeft.get(m[1]));
            activatedNow.add(t);
        }
        for (int i : r3.unmatchedRows()) {
            Track t = unconfirmed.get(i);
            t.state = State.REMOVED;
            removedNow.add(t);
        }

        // New tracks.
        for (int j : r3.unmatchedCols()) {
            int di = highLeft.get(j);
            Det d = dets.get(di);
            if (d.score() < settings.newTrackThresh()) continue;
            Track t = new Track(d.score(), d.label());
            t.id = nextId++;
            t.kf = KalmanFilter.initiate(KalmanFilter.xyah(d.x1(), d.y1(), d.x2(), d.y2()));
            t.activated = frame == 1;
            t.startFrame = t.endFrame = frame;
            t.detection = di;
            activatedNow.add(t);
        }

        for (Track t : lost) {
            if (frame - t.endFrame > settings.maxTimeLost()) {
                t.state = State.REMOVED;
                removedNow.add(t);
            }
        }

        List<Track> nextTracked = new ArrayList<>();
        for (Track t : tracked) if (t.state == State.TRACKED) nextTracked.add(t);
        nextTracked = joint(joint(nextTracked, activatedNow), refound);
        List<Track> nextLost = sub(lost, nextTracked);
        nextLost.addAll(lostNow);
        nextLost = sub(nextLost, removedNow);
        dedupe(nextTracked, nextLost);

        List<TrackedObject> out = new ArrayList<>();
        for (Track t : tracked) {
            if (!t.activated || t.detection < 0) continue;
            out.add(new TrackedObject(t.id, t.detection, t.label, t.score, t.box()));
        }
        out.sort((a, b) -> Integer.compare(a.trackId(), b.trackId()));
        return out;
    }

    /** Detections overlapping a higher-scoring kept one (any class) above the suppression IoU; ties: list order. */
    private boolean[] suppressOverlaps(List<Det> dets) {
        boolean[] out = new boolean[dets.size()];
        double limit = settings.overlapSuppression();
        if (limit >= 1) return out;
        Integer[] order = new Integer[dets.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(dets.get(b).score(), dets.get(a).score()));
        for (int x = 0; x < order.length; x++) {
            int i = order[x];
            if (out[i]) continue;
            Det a = dets.get(i);
            double[] box = {a.x1(), a.y1(), a.x2(), a.y2()};
            for (int y = x + 1; y < order.length; y++) {
                int j = order[y];
                Det b = dets.get(j);
                if (!out[j] && iou(box, b.x1(), b.y1(), b.x2(), b.y2()) > limit) out[j] = true;
            }
        }
        return out;
    }

    private void apply(Track t, List<Det> dets, int di) {
        Det d = dets.get(di);
        t.kf = KalmanFilter.update(t.kf, KalmanFilter.xyah(d.x1(), d.y1(), d.x2(), d.y2()));
        t.score = d.score();
        t.activated = true;
        t.endFrame = frame;
        t.detection = di;
    }

    /** 1 - IoU (or 1 - IoU × score), 2 where the labels differ and the tracker is class-aware. */
    private double[][] cost(List<Track> tracks, List<Det> dets, List<Integer> cols, boolean fuse) {
        double[][] c = new double[tracks.size()][cols.size()];
        for (int i = 0; i < tracks.size(); i++) {
            double[] b = tracks.get(i).box();
            for (int j = 0; j < cols.size(); j++) {
                Det d = dets.get(cols.get(j));
                if (settings.classAware() && d.label() != tracks.get(i).label) {
                    c[i][j] = 2;
                    continue;
                }
                double iou = iou(b, d.x1(), d.y1(), d.x2(), d.y2());
                c[i][j] = 1 - (fuse ? iou * d.score() : iou);
            }
        }
        return c;
    }

    /** ByteTrack's remove_duplicate_stracks: a tracked/lost pair at IoU &gt; 0.85 keeps only the longer-lived. */
    private void dedupe(List<Track> tr, List<Track> lo) {
        Set<Track> dropT = new HashSet<>(), dropL = new HashSet<>();
        for (Track a : tr) {
            for (Track b : lo) {
                if (settings.classAware() && a.label != b.label) continue;
                double[] bb = b.box();
                if (1 - iou(a.box(), bb[0], bb[1], bb[2], bb[3]) >= 0.15) continue;
                int ta = a.endFrame - a.startFrame, tb = b.endFrame - b.startFrame; // frames from start to last update
                if (ta > tb) dropL.add(b);
                else dropT.add(a);
            }
        }
        tr.removeIf(dropT::contains);
        lo.removeIf(dropL::contains);
        tracked = tr;
        lost = lo;
    }

    private static List<Track> joint(List<Track> a, List<Track> b) {
        List<Track> out = new ArrayList<>(a);
        Set<Integer> ids = new HashSet<>();
        for (Track t : a) ids.add(t.id);
        for (Track t : b) if (ids.add(t.id)) out.add(t);
        return out;
    }

    private static List<Track> sub(List<Track> a, List<Track> b) {
        Set<Integer> ids = new HashSet<>();
        for (Track t : b) ids.add(t.id);
        List<Track> out = new ArrayList<>();
        for (Track t : a) if (!ids.contains(t.id)) out.add(t);
        return out;
    }

    static double iou(double[] a, double x1, double y1, double x2, double y2) {
        double iw = Math.min(a[2], x2) - Math.max(a[0], x1), ih = Math.min(a[3], y2) - Math.max(a[1], y1);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (x2 - x1) * (y2 - y1) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
