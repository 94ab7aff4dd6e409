package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.streamservice.ResultJson;
import io.resdet.detector.Attempts;
import io.resdet.detector.Detection;
import io.resdet.detector.Detector;
import io.resdet.detector.draw.DetectionPainter;
import io.resdet.video.LiveReader;
import io.resdet.video.SegmentedVideoWriter;
import io.resdet.video.VideoFrame;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code detect} on a live source: one JSON line per processed frame, printed as it is done, with the frame's index
 * in the stream (growing across reconnects) and {@code pts_ms}; {@code --out} gets the annotated stream as
 * {@code <name>-000.mp4}, {@code -001.mp4}, ... ({@code --segment}). Ends at --max-frames / --duration / Ctrl-C
 * (exit 0, everything flushed), or with one line and exit 1 when the source stays gone past --reconnect-timeout.
 */
final class DetectLiveRunner {
    private static final String CMD = "resdet detect";
    private final String spec;
    private final LiveReader.Settings settings;
    private final Path outDir;
    private final long segmentMicros;
    private final Double fps;
    private final ObjectMapper json = new ObjectMapper();
    private DetectTracking tracking;

    private DetectLiveRunner(String spec, LiveReader.Settings settings, Path outDir, long segmentMicros, Double fps) {
        this.spec = spec;
        this.settings = settings;
        this.outDir = outDir;
        this.segmentMicros = segmentMicros;
        this.fps = fps;
    }

    /** The live run for {@code inputs}, or null when none of them is live (then the live-only options must be absent). */
    static DetectLiveRunner of(List<String> inputs, LiveOptions live, LiveOptions.DetectOptions opts, int every, Path outDir, Path coco) {
        long n = inputs.stream().filter(LiveReader::isLive).count();
        live.rejectUnlessLive(n > 0, opts.fps, opts.segment);
        if (n == 0) return null;
        if (inputs.size() > 1) throw new UserError("a live source (" + LiveReader.redact(inputs.stream().filter(LiveReader::isLive).findFirst().get())
                + ") must be the only INPUT");
        if (coco != null) throw new UserError("--coco-results applies to files, not live sources");
        if (opts.segment != null && !(opts.segment > 0)) throw new UserError("--segment: must be > 0, got " + opts.segment);
        double f = opts.fps == null ? 0 : opts.fps;
        return new DetectLiveRunner(inputs.get(0), live.settings(CMD, every, f, null), outDir, opts.segmentMicros(), opts.fps);
    }

    /** {@code --track}: one tracker for the source, its frames in order (null: off). */
    DetectLiveRunner tracking(DetectTracking t) {
        this.tracking = t;
        return this;
    }

    int run(Detector detector) {
        LiveReader reader;
        try {
            reader = LiveReader.open(spec, settings);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        PrintStream out = System.out;
        SegmentedVideoWriter writer = null;
        int done = 0, failures = 0;
        String gaveUp = null;
        try (reader; LiveStop stop = LiveStop.install(CMD, reader::stop)) {
            try {
                for (VideoFrame f; (f = reader.next()) != null; ) {
                    Attempts.Attempt a = Attempts.detectEach(detector::detect, List.of(f.image())).get(0);
                    if (!a.ok()) {
                        System.err.println(CMD + ": " + reader.name() + " frame " + f.index() + ": the detector failed on this "
                                + f.image().width() + "x" + f.image().height() + " image (" + a.error() + ")");
                        failures++;
                        continue;
                    }
                    List<Detection> dets = new ArrayList<>(a.detections());
                    dets.sort(Comparator.comparingDouble(Detection::score).reversed());
                    // The zones file's stream id of a live source is its file stem, as for --out's segment names.
                    DetectTracking.Step step = tracking == null ? null : tracking.track(Path.of(LiveReader.fileStem(spec)), (int) f.index(),
                            f.timestampMicros() / 1000, f.image().width(), f.image().height(), dets);
                    out.println(line(reader.name(), f, dets, step, detector));
                    out.flush();
                    done++;
                    if (outDir != null) {
                        if (writer == null) {
                            double rate = fps != null && fps > 0 ? fps : reader.frameRate() / settings.every();
                            writer = new SegmentedVideoWriter(outDir, LiveReader.fileStem(spec), rate, segmentMicros);
                        }
                        writer.write(step != null ? tracking.annotate(f.image(), dets, step) : DetectionPainter.annotate(f.image(), dets),
                                f.timestampMicros());
                    }
                }
            } catch (IOException e) {
                gaveUp = e.getMessage();
            } finally {
                if (writer != null) {
                    try {
                        writer.close();
                    } catch (IOException e) {
                        if (gaveUp == null) gaveUp = e.getMessage();
                    }
                }
            }
            out.flush();
            if (gaveUp != null) {
                System.err.println(CMD + ": " + gaveUp);
                return 1;
            }
            System.err.println(CMD + ": " + reader.name() + ": " + done + " frames detected, " + reader.framesRead() + " read, "
                    + reader.reconnects() + " reconnect" + (reader.reconnects() == 1 ? "" : "s") + (writer == null ? "" : ", " + writer.files().size()
                    + " segment" + (writer.files().size() == 1 ? "" : "s") + " in " + outDir) + " (" + why(reader.end()) + ")");
        }
        String counts = tracking == null ? null : tracking.summary();
        if (counts != null) System.err.println(CMD + ": " + reader.name() + ": " + counts);
        if (failures > 0) {
            System.err.println(CMD + ": the detector failed on " + failures + " frame" + (failures == 1 ? "" : "s"));
            return 1;
        }
        return 0;
    }

    private static String why(LiveReader.End end) {
        return switch (end) {
            case STOPPED -> "stopped";
            case MAX_FRAMES -> "--max-frames reached";
            case DURATION -> "--duration reached";
            case SOURCE_ENDED -> "the source ended";
            case NONE -> "";
        };
    }

    private String line(String name, VideoFrame f, List<Detection> dets, DetectTracking.Step step, Detector detector) {
        ObjectNode o = json.createObjectNode();
        o.put("image", name);
        o.put("frame", f.index());
        o.put("pts_ms", f.timestampMicros() / 1000);
        o.put("width", f.image().width());
        o.put("height", f.image().height());
        o.set("detections", ResultJson.array(dets)); // the one writer of detection objects
        if (step != null) DetectTracking.write(o, step, detector.labels()::name);
        return o.toString();
    }
}
