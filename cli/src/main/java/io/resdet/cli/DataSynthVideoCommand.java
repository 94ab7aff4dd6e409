package io.resdet.cli;

import io.resdet.detector.data.ShapesVideo;
import io.resdet.util.Progress;
import io.resdet.video.VideoWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code resdet data synth-video}: a seeded shapes video with MOTChallenge ground truth, for tracking evaluation. */
@Command(name = "synth-video", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a seeded tracking sequence (a video and its MOTChallenge ground truth with identities).",
                "Shapes (circle, rectangle, triangle, ... as in `data synth`) drift at constant speed over a textured",
                "background, bouncing off the borders and passing over one another.",
                "Writes OUT/video.mp4, OUT/gt/gt.txt (MOTChallenge: frame,id,x,y,w,h,1,label,visibility; frames from 1;",
                "the box is the visible extent; objects entirely hidden are left out of that frame), OUT/labels.txt and",
                "OUT/seqinfo.ini. The same options give the same ground truth."},
        footer = {"", "Example:", "  resdet data synth-video --out seq7 --seed 7 --frames 300",
                "  resdet detect --track --mot-results seq7/res.txt seq7/video.mp4 && resdet eval mot --gt seq7/gt/gt.txt --dt seq7/res.txt"})
public final class DataSynthVideoCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (must be empty or absent unless --force).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--frames", defaultValue = "300", paramLabel = "N", description = "Frames (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--objects", defaultValue = "4", paramLabel = "K", description = "Objects, each with its own id 1..K (default: ${DEFAULT-VALUE}).")
    int objects;

    @Option(names = "--size", defaultValue = "320x240", paramLabel = "WxH", description = "Frame size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = {"--shape-kinds", "--classes"}, defaultValue = "3", paramLabel = "C",
            description = "Shape classes, the first C of data synth's (default: ${DEFAULT-VALUE}: what the bundled model knows).")
    int classes;

    @Option(names = "--fps", defaultValue = "30", paramLabel = "F", description = "Frame rate of the video file (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--force", description = "Write into a non-empty OUT.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (frames < 1) throw new UserError("--frames must be at least 1, got " + frames);
        if (objects < 1 || objects > 50) throw new UserError("--objects must be 1..50, got " + objects);
        if (classes < 1 || classes > 8) throw new UserError("--shape-kinds must be 1..8, got " + classes);
        if (!(fps > 0 && fps <= 240)) throw new UserError("--fps must be in (0, 240], got " + fps);
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        int w, h;
        try {
            if (wh.length != 2) throw new NumberFormatException();
            w = Integer.parseInt(wh[0]);
            h = Integer.parseInt(wh[1]);
        } catch (NumberFormatException e) {
            throw new UserError("--size: expected WxH like 320x240, got '" + size + "'");
        }
        if (w < 32 || h < 32 || w > 4096 || h > 4096 || w % 2 != 0 || h % 2 != 0) {
            throw new UserError("--size must be even, 32..4096 pixels a side, got " + size);
        }
        checkOut();
        ShapesVideo video = new ShapesVideo(w, h, classes, objects, seed, true);
        if (video.objects() < objects) {
            System.err.println("resdet data synth-video: only " + video.objects() + " of " + objects + " objects fit in " + w + "x" + h);
        }
        Files.createDirectories(out.resolve("gt"));
        Files.write(out.resolve("labels.txt"), video.classNames(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("seqinfo.ini"), String.format(Locale.ROOT,
                "[Sequence]%nname=%s%nimDir=video.mp4%nframeRate=%s%nseqLength=%d%nimWidth=%d%nimHeight=%d%nimExt=.mp4%n"
                        + "# resdet data synth-video --out %s --seed %d --frames %d --objects %d --size %dx%d --shape-kinds %d --fps %s%n",
                out.getFileName(), fmt(fps), frames, w, h, out, seed, frames, objects, w, h, classes, fmt(fps)));
        long boxes = 0;
        long t0 = System.nanoTime();
        try (VideoWriter writer = VideoWriter.open(out.resolve("video.mp4"), w, h, fps);
             BufferedWriter gt = Files.newBufferedWriter(out.resolve("gt").resolve("gt.txt"), StandardCharsets.UTF_8);
             Progress progress = new Progress("resdet data synth-video", frames, "frames")) {
            for (int f = 0; f < frames; f++) {
                ShapesVideo.Frame fr = video.frame(f);
                writer.write(fr.image());
                for (int k = 0; k < fr.boxes().size(); k++) {
                    double[] b = fr.boxes().get(k);
                    gt.write(String.format(Locale.ROOT, "%d,%d,%.2f,%.2f,%.2f,%.2f,1,%d,%.4f%n", f + 1, fr.ids().get(k), b[0], b[1],
                            b[2] - b[0], b[3] - b[1], fr.labels().get(k), fr.visibility().get(k)));
                    boxes++;
                }
                progress.step(1);
            }
        }
        System.err.printf(Locale.ROOT, "resdet data synth-video: wrote %d frames of %dx%d with %d objects (%d ground-truth boxes) to %s in %.1f s%n",
                frames, w, h, video.objects(), boxes, out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private void checkOut() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UserError(out + ": exists and is not a folder");
        if (!Files.isDirectory(out) || force) return;
        try (Stream<Path> entries = Files.list(out)) {
            long n = entries.count();
            if (n > 0) throw new UserError(out + ": not empty (" + n + " entries); use --force to write into it");
        }
    }
}
