package io.resdet.cli;

import io.resdet.detector.Detection;
import io.resdet.eval.mot.MotFile;
import io.resdet.image.RgbImage;
import io.resdet.detector.draw.DetectionPainter;
import io.resdet.tracking.ByteTracker;
import io.resdet.tracking.TrackedObject;
import io.resdet.tracking.TrackerSettings;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code detect --track}: one {@link ByteTracker} per video, fed each processed frame's detections in order; gives
 * each detection its track id, writes MOTChallenge lines, and draws the tracked boxes coloured by track.
 *
 * <p>{@code --interpolate N}: in the MOT file only, a track missing for at most N frames between two of its boxes
 * gets linearly interpolated boxes for the frames in between, as ByteTrack does for its MOTChallenge results
 * ({@code tools/interpolation.py}). It needs the box after the gap, so it is for files written at the end, not for
 * the per-frame JSON lines. Rows are written sorted by frame and id when the video ends.
 */
final class DetectTracking implements AutoCloseable {
    private final TrackerSettings settings;
    private final Path motFile;
    private final int interpolate;
    private BufferedWriter mot;
    /** MOT rows of the current video (frame, id, x, y, w, h, score), written at the end. */
    private final List<double[]> rows = new ArrayList<>();
    /** Per track id: its last row. */
    private final java.util.Map<Integer, double[]> last = new java.util.HashMap<>();
    private ByteTracker tracker;
    private Path source;

    DetectTracking(TrackOptions options) {
        this.settings = options.settings();
        this.motFile = options.motResults;
        this.interpolate = options.interpolate == null ? 0 : options.interpolate;
    }

    /** Null unless {@code --track}; refuses inputs tracking cannot follow. */
    static DetectTracking of(TrackOptions options, List<DetectInputs.Input> items) {
        if (options == null || !options.track) {
            if (options != null && options.motResults != null) throw new UserError("--mot-results needs --track");
            return null;
        }
        for (DetectInputs.Input in : items) if (!in.video()) throw new UserError("--track follows objects in videos; " + in.file() + " is an image");
        if (options.motResults != null && items.size() > 1) throw new UserError("--mot-results takes one video, got " + items.size());
        if (options.interpolate != null && options.motResults == null) throw new UserError("--interpolate fills gaps in the --mot-results file; give one");
        if (options.interpolate != null && options.interpolate < 0) throw new UserError("--interpolate: must be >= 0, got " + options.interpolate);
        DetectTracking t = new DetectTracking(options);
        if (t.motFile != null) {
            try {
                t.mot = Files.newBufferedWriter(t.motFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserError(t.motFile + ": cannot write MOT results (" + e.getMessage() + ")");
            }
        }
        return t;
    }

    /** A new video: a fresh tracker at its processed frame rate. */
    void begin(Path video, double fps) {
        source = video;
        last.clear();
        tracker = new ByteTracker(settings.withFps(fps > 0 && Double.isFinite(fps) ? fps : 30));
    }

    /** Track ids of {@code dets} (0: no confirmed track) for 0-based video frame {@code frame}. */
    int[] track(Path video, int frame, List<Detection> dets) {
        if (tracker == null || !video.equals(source)) begin(video, 30);
        List<ByteTracker.Det> in = new ArrayList<>();
        for (Detection d : dets) in.add(new ByteTracker.Det(d.x1(), d.y1(), d.x2(), d.y2(), d.score(), d.label()));
        int[] ids = new int[dets.size()];
        for (TrackedObject o : tracker.update(in)) {
            ids[o.detection()] = o.trackId();
            if (mot != null) {
                Detection d = dets.get(o.detection());
                row(new double[] {frame + 1, o.trackId(), d.x1(), d.y1(), d.x2() - d.x1(), d.y2() - d.y1(), d.score()});
            }
        }
        return ids;
    }

    /** Adds a row, after the interpolated rows of the gap since the track's last one (if within --interpolate). */
    private void row(double[] r) {
        double[] prev = last.put((int) r[1], r);
        int gap = prev == null ? 0 : (int) (r[0] - prev[0]) - 1;
        if (gap > 0 && gap <= interpolate) {
            for (int k = 1; k <= gap; k++) {
                double t = k / (double) (gap + 1);
                double[] in = new double[7];
                in[0] = prev[0] + k;
                in[1] = r[1];
                for (int c = 2; c < 7; c++) in[c] = prev[c] + t * (r[c] - prev[c]);
                rows.add(in);
            }
        }
        rows.add(r);
    }

    /** The frame with its tracked detections, each coloured by its track id and tagged "#id name". */
    static RgbImage annotate(RgbImage image, List<Detection> dets, int[] ids) {
        List<Detection> tracked = new ArrayList<>();
        for (int i = 0; i < dets.size(); i++) {
            if (ids[i] <= 0) continue;
            Detection d = dets.get(i);
            tracked.add(new Detection(d.x1(), d.y1(), d.x2(), d.y2(), ids[i], "#" + ids[i] + " " + d.name(), d.score()));
        }
        return DetectionPainter.annotate(image, tracked);
    }

    @Override
    public void close() {
        if (mot == null) return;
        rows.sort(java.util.Comparator.<double[]>comparingDouble(r -> r[0]).thenComparingDouble(r -> r[1]));
        try {
            for (double[] r : rows) {
                mot.write(MotFile.line((int) r[0], (int) r[1], r[2], r[3], r[4], r[5], r[6]));
                mot.newLine();
            }
            mot.close();
        } catch (IOException e) {
            throw new UncheckedIOException(motFile + ": cannot write MOT results (" + e.getMessage() + ")", e);
        }
    }
}
