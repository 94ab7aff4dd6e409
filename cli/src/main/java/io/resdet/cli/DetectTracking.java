package io.resdet.cli;

import io.resdet.analytics.FrameAnalytics;
import io.resdet.analytics.TrackTrails;
import io.resdet.analytics.ZoneAnalytics;
import io.resdet.analytics.Zones;
import io.resdet.analytics.ZonesException;
import io.resdet.detector.Detection;
import io.resdet.detector.draw.DetectionPainter;
import io.resdet.detector.draw.ZonePainter;
import io.resdet.eval.mot.MotFile;
import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import io.resdet.tracking.ByteTracker;
import io.resdet.tracking.TrackedObject;
import io.resdet.tracking.TrackerSettings;

import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code detect --track}: one {@link ByteTracker} per video, fed each processed frame's detections in order; gives
 * each detection its track id, writes MOTChallenge lines, and draws the tracked boxes coloured by track. With
 * {@code --zones}, also one {@link ZoneAnalytics} per video (stream id: the file name without extension).
 *
 * <p>{@code --interpolate N}: in the MOT file only, a track missing for at most N frames between two of its boxes
 * gets linearly interpolated boxes for the frames in between, as ByteTrack does for its MOTChallenge results
 * ({@code tools/interpolation.py}). It needs the box after the gap, so it is for files written at the end, not for
 * the per-frame JSON lines. Rows are written sorted by frame and id when the video ends.
 */
final class DetectTracking implements AutoCloseable {
    /** Trail points drawn per track: half a second at 30 fps, enough to show the direction without clutter. */
    static final int TRAIL = 15;

    /** One frame's tracking: track id per detection (0: none), and with zones the frame's analytics and trails (else null). */
    record Step(int[] ids, FrameAnalytics zones, Map<Integer, List<double[]>> trails) {}

    private final TrackerSettings settings;
    private final Path motFile;
    private final int interpolate;
    private final Zones zones;
    private BufferedWriter mot;
    /** MOT rows of the current video (frame, id, x, y, w, h, score), written at the end. */
    private final List<double[]> rows = new ArrayList<>();
    /** Per track id: its last row. */
    private final java.util.Map<Integer, double[]> last = new java.util.HashMap<>();
    private ByteTracker tracker;
    private ZoneAnalytics analytics;
    private TrackTrails trails;
    private Path source;

    private DetectTracking(TrackOptions options, Zones zones) {
        this.settings = options.settings();
        this.motFile = options.motResults;
        this.interpolate = options.interpolate == null ? 0 : options.interpolate;
        this.zones = zones;
    }

    /** Null unless {@code --track}; refuses inputs tracking cannot follow. */
    static DetectTracking of(TrackOptions options, List<DetectInputs.Input> items) {
        if (options == null || !options.track) {
            if (options != null && options.motResults != null) throw new UserError("--mot-results needs --track");
            if (options != null && options.zones != null) throw new UserError("--zones needs --track (zones count tracks)");
            return null;
        }
        for (DetectInputs.Input in : items) if (!in.video()) throw new UserError("--track follows objects in videos; " + in.file() + " is an image");
        if (options.motResults != null && items.size() > 1) throw new UserError("--mot-results takes one video, got " + items.size());
        if (options.interpolate != null && options.motResults == null) throw new UserError("--interpolate fills gaps in the --mot-results file; give one");
        if (options.interpolate != null && options.interpolate < 0) throw new UserError("--interpolate: must be >= 0, got " + options.interpolate);
        Zones zones = null;
        if (options.zones != null) {
            try {
                zones = Zones.read(options.zones);
            } catch (ZonesException e) {
                throw new UserError(e.getMessage());
            }
        }
        DetectTracking t = new DetectTracking(options, zones);
        if (t.motFile != null) {
            try {
                t.mot = Files.newBufferedWriter(t.motFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserError(t.motFile + ": cannot write MOT results (" + e.getMessage() + ")");
            }
        }
        return t;
    }

    /** A new video: a fresh tracker at its processed frame rate, fresh zone analytics that give tracks up when it does. */
    void begin(Path video, double fps) {
        source = video;
        last.clear();
        tracker = new ByteTracker(settings.withFps(fps > 0 && Double.isFinite(fps) ? fps : 30));
        if (zones != null) {
            Zones.StreamZones z = zones.forStream(DetectInputs.stem(video));
            analytics = new ZoneAnalytics(z, tracker.settings().maxTimeLost());
            trails = new TrackTrails(TRAIL, z.anchor());
        }
    }

    /** Tracks {@code dets} of 0-based video frame {@code frame} (at {@code timeMs}, {@code width} x {@code height}). */
    Step track(Path video, int frame, long timeMs, int width, int height, List<Detection> dets) {
        if (tracker == null || !video.equals(source)) begin(video, 30);
        List<ByteTracker.Det> in = new ArrayList<>();
        for (Detection d : dets) in.add(new ByteTracker.Det(d.x1(), d.y1(), d.x2(), d.y2(), d.score(), d.label()));
        int[] ids = new int[dets.size()];
        List<TrackedObject> tracked = tracker.update(in);
        for (TrackedObject o : tracked) {
            ids[o.detection()] = o.trackId();
            if (mot != null) {
                Detection d = dets.get(o.detection());
                row(new double[] {frame + 1, o.trackId(), d.x1(), d.y1(), d.x2() - d.x1(), d.y2() - d.y1(), d.score()});
            }
        }
        if (analytics == null) return new Step(ids, null, null);
        return new Step(ids, analytics.update(frame, timeMs, width, height, tracked), trails.update(tracked));
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

    /**
     * Adds a frame's tracking to its JSON line: {@code track_id} on each of its {@code "detections"} (null when no
     * confirmed track claims it), and with zones {@code "zones"} (occupancy) and {@code "events"} (when any).
     */
    static void write(com.fasterxml.jackson.databind.node.ObjectNode line, Step step, java.util.function.IntFunction<String> names) {
        com.fasterxml.jackson.databind.JsonNode dets = line.get("detections");
        for (int k = 0; k < dets.size(); k++) {
            com.fasterxml.jackson.databind.node.ObjectNode j = (com.fasterxml.jackson.databind.node.ObjectNode) dets.get(k);
            if (step.ids()[k] > 0) j.put("track_id", step.ids()[k]);
            else j.putNull("track_id");
        }
        if (step.zones() == null) return;
        line.set("zones", io.resdet.analytics.AnalyticsJson.occupancy(step.zones()));
        if (!step.zones().events().isEmpty()) line.set("events", io.resdet.analytics.AnalyticsJson.events(step.zones().events(), names));
    }

    /** The counts of the current video as one line ("line gate: in 3, out 1; zone door: entries 2, exits 2"), or null without zones. */
    String summary() {
        return analytics == null ? null : analytics.counts().summary();
    }

    /** The frame with its tracked detections, each coloured by its track id and tagged "#id name"; zones, lines and trails over them. */
    RgbImage annotate(RgbImage image, List<Detection> dets, Step step) {
        List<Detection> tracked = new ArrayList<>();
        for (int i = 0; i < dets.size(); i++) {
            if (step.ids()[i] <= 0) continue;
            Detection d = dets.get(i);
            tracked.add(new Detection(d.x1(), d.y1(), d.x2(), d.y2(), step.ids()[i], "#" + step.ids()[i] + " " + d.name(), d.score()));
        }
        if (step.zones() == null) return DetectionPainter.annotate(image, tracked);
        BufferedImage b = DetectionPainter.draw(image, tracked);
        ZonePainter.paint(b, analytics.zones().resolve(image.width(), image.height()), step.zones().occupancy(), analytics.counts(), step.trails());
        return Images.toRgb(b);
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
