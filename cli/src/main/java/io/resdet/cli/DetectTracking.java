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
 */
final class DetectTracking implements AutoCloseable {
    private final TrackerSettings settings;
    private final Path motFile;
    private BufferedWriter mot;
    private ByteTracker tracker;
    private Path source;

    DetectTracking(TrackOptions options) {
        this.settings = options.settings();
        this.motFile = options.motResults;
    }

    /** Null unless {@code --track}; refuses inputs tracking cannot follow. */
    static DetectTracking of(TrackOptions options, List<DetectInputs.Input> items) {
        if (options == null || !options.track) {
            if (options != null && options.motResults != null) throw new UserError("--mot-results needs --track");
            return null;
        }
        for (DetectInputs.Input in : items) if (!in.video()) throw new UserError("--track follows objects in videos; " + in.file() + " is an image");
        if (options.motResults != null && items.size() > 1) throw new UserError("--mot-results takes one video, got " + items.size());
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
                try {
                    mot.write(MotFile.line(frame + 1, o.trackId(), d.x1(), d.y1(), d.x2() - d.x1(), d.y2() - d.y1(), d.score()));
                    mot.newLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(motFile + ": cannot write MOT results (" + e.getMessage() + ")", e);
                }
            }
        }
        return ids;
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
        try {
            mot.close();
        } catch (IOException e) {
            throw new UncheckedIOException(motFile + ": cannot write MOT results (" + e.getMessage() + ")", e);
        }
    }
}
