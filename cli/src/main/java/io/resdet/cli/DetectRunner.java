package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.detector.Attempts;
import io.resdet.detector.Detection;
import io.resdet.detector.Detector;
import io.resdet.detector.draw.AnnotatedImages;
import io.resdet.detector.draw.DetectionPainter;
import io.resdet.eval.coco.CocoResultsWriter;
import io.resdet.image.Images;
import io.resdet.streamservice.ResultJson;
import io.resdet.image.RgbImage;
import io.resdet.util.Progress;
import io.resdet.video.VideoFrame;
import io.resdet.video.VideoReader;
import io.resdet.video.VideoWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The {@code detect} command's runner: one pass over the expanded inputs: detections to stdout, annotations, COCO results, failures counted. */
final class DetectRunner {
    private final Detector detector;
    private final int batch, every;
    private final Path outDir, cocoFile;
    private final ObjectMapper json = new ObjectMapper();
    private final PrintStream out = System.out;
    private final CocoImageIds ids = new CocoImageIds();
    private CocoResultsWriter coco;
    private Progress progress;
    private int failures;
    private DetectTracking tracking;
    /** {@code --zones}: each video's counts, printed once all is done. */
    private final List<String> summaries = new ArrayList<>();

    /** An image or frame waiting for the next forward pass. */
    private record Pending(Path source, Path outName, RgbImage image, Integer frame, long timeMs, long cocoId) {}

    DetectRunner(Detector detector, int batch, int every, Path outDir, Path cocoFile) {
        this.detector = detector;
        this.batch = batch;
        this.every = every;
        this.outDir = outDir;
        this.cocoFile = cocoFile;
    }

    /** {@code --track}: detections of videos go through a tracker (null: off). */
    DetectRunner tracking(DetectTracking t) {
        this.tracking = t;
        return this;
    }

    int run(List<DetectInputs.Input> items) {
        long total = 0;
        for (DetectInputs.Input in : items) total += in.video() ? (frameEstimate(in.file()) + every - 1) / every : 1;
        try {
            if (cocoFile != null) coco = new CocoResultsWriter(cocoFile);
        } catch (UncheckedIOException e) {
            throw new UserError(cocoFile + ": cannot write COCO results (" + e.getCause().getMessage() + ")");
        }
        if (total > 1) progress = new Progress("resdet detect", total, "img");
        try {
            List<Pending> pending = new ArrayList<>();
            for (DetectInputs.Input in : items) {
                if (in.video()) {
                    flush(pending, null);
                    video(in);
                    continue;
                }
                try {
                    RgbImage im = Images.read(in.file());
                    pending.add(new Pending(in.file(), in.outName(), im, null, 0, ids.next(in.file(), false)));
                } catch (IOException e) {
                    fail(e.getMessage());
                    ids.skip();
                    step(1);
                }
                if (pending.size() >= batch) flush(pending, null);
            }
            flush(pending, null);
        } finally {
            if (progress != null) progress.close();
            if (coco != null) coco.close();
            if (tracking != null) tracking.close();
        }
        // After the progress bar's last line, so the counts end the output.
        summaries.forEach(System.err::println);
        if (failures > 0) {
            System.err.println("resdet detect: " + failures + " input" + (failures == 1 ? "" : "s") + " failed");
            return 1;
        }
        return 0;
    }

    private void video(DetectInputs.Input in) {
        VideoWriter writer = null;
        try (VideoReader r = VideoReader.open(in.file())) {
            if (tracking != null) tracking.begin(in.file(), r.frameRate() / every);
            List<Pending> pending = new ArrayList<>();
            for (VideoFrame f; (f = r.next()) != null; ) {
                if (f.index() % every != 0) continue;
                if (outDir != null && writer == null) {
                    writer = VideoWriter.open(outDir.resolve(DetectInputs.stem(in.file()) + ".annotated.mp4"),
                            r.width(), r.height(), r.frameRate() / every);
                }
                pending.add(new Pending(in.file(), null, f.image(), f.index(), f.timestampMicros() / 1000, ids.next(in.file(), true)));
                if (pending.size() >= batch) flush(pending, writer);
            }
            flush(pending, writer);
            String counts = tracking != null ? tracking.summary() : null;
            if (counts != null) summaries.add("resdet detect: " + in.file() + ": " + counts);
        } catch (IOException e) {
            fail(e.getMessage());
        } finally {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException e) {
                    fail(e.getMessage());
                }
            }
        }
    }

    /** Detects on the pending images and emits everything for them; keeps output in input order. */
    private void flush(List<Pending> pending, VideoWriter writer) {
        if (pending.isEmpty()) return;
        List<RgbImage> images = new ArrayList<>();
        for (Pending p : pending) images.add(p.image());
        List<Attempts.Attempt> results = Attempts.detectEach(detector::detect, images);
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            if (!results.get(i).ok()) {
                fail(p.source() + (p.frame() != null ? " frame " + p.frame() : "") + ": the detector failed on this "
                        + p.image().width() + "x" + p.image().height() + " image (" + results.get(i).error() + ")");
                continue;
            }
            List<Detection> dets = new ArrayList<>(results.get(i).detections());
            // Stable: ties keep the detector's order, which is torchvision's.
            dets.sort(Comparator.comparingDouble(Detection::score).reversed());
            DetectTracking.Step step = tracking != null && p.frame() != null
                    ? tracking.track(p.source(), p.frame(), p.timeMs(), p.image().width(), p.image().height(), dets) : null;
            out.println(line(p, dets, step));
            if (coco != null) {
                for (Detection d : dets) coco.add(p.cocoId(), d.label(), d.x1(), d.y1(), d.x2() - d.x1(), d.y2() - d.y1(), d.score());
            }
            try {
                annotate(p, dets, writer, step);
            } catch (IOException e) {
                fail(e.getMessage());
            }
        }
        out.flush();
        step(pending.size());
        pending.clear();
    }

    private void annotate(Pending p, List<Detection> dets, VideoWriter writer, DetectTracking.Step step) throws IOException {
        if (writer != null) {
            writer.write(step != null ? tracking.annotate(p.image(), dets, step) : DetectionPainter.annotate(p.image(), dets));
        } else if (outDir != null && p.frame() == null) {
            Path target = outDir.resolve(AnnotatedImages.outputName(p.outName().toString()));
            if (Files.exists(target) && Files.isSameFile(target, p.source())) {
                throw new IOException(p.source() + ": --out would overwrite the input; choose another folder");
            }
            AnnotatedImages.write(DetectionPainter.draw(p.image(), dets), target);
        }
    }

    private String line(Pending p, List<Detection> dets, DetectTracking.Step step) {
        ObjectNode o = json.createObjectNode();
        o.put("image", p.source().toString());
        if (p.frame() != null) o.put("frame", p.frame());
        o.put("width", p.image().width());
        o.put("height", p.image().height());
        o.set("detections", ResultJson.array(dets)); // the service's detection objects, one writer
        if (step != null) DetectTracking.write(o, step, detector.labels()::name);
        return o.toString();
    }

    private void fail(String message) {
        System.err.println("resdet detect: " + message);
        failures++;
    }

    private void step(int n) {
        if (progress != null) progress.step(n);
    }

    private static int frameEstimate(Path video) {
        try (VideoReader r = VideoReader.open(video)) {
            return r.estimatedFrames();
        } catch (IOException e) {
            return 0; // Reported when the video's turn comes.
        }
    }
}
