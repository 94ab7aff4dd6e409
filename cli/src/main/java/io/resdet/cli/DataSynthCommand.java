package io.resdet.cli;

import io.resdet.detector.data.ShapesDatasetWriter;
import io.resdet.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code resdet data synth}: a seeded shapes detection set in COCO layout, for training without downloads. */
@Command(name = "synth",
        footer = {"", "Example:", "  resdet data synth --out shapes --images 2000 --val 200 --seed 1"}, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a seeded detection set: shapes on textured backgrounds, in COCO layout.",
                "Classes (the first K): circle, rectangle, triangle, ellipse, diamond, star, cross, hexagon;",
                "colours are random, never the class. Writes OUT/train/*.png, OUT/val/*.png,",
                "OUT/annotations/instances_{train,val}.json, OUT/labels.txt and OUT/README.txt.",
                "The same options give byte-identical files. OUT is a dataset spec for training."})
public final class DataSynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (must be empty or absent unless --force).")
    Path out;

    @Option(names = "--images", required = true, paramLabel = "N", description = "Training images.")
    int images;

    @Option(names = "--val", paramLabel = "M", description = "Validation images (default: N/10, at least 1).")
    Integer val;

    @Option(names = {"--shape-kinds", "--classes"}, defaultValue = "3", paramLabel = "K", description = "Classes, 1..8: the first K shapes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--size", paramLabel = "S", description = "Square images of S×S pixels (default 160).")
    Integer size;

    @Option(names = "--width", paramLabel = "W", description = "Image width (with --height; default 160).")
    Integer width;

    @Option(names = "--height", paramLabel = "H", description = "Image height (with --width; default 160).")
    Integer height;

    @Option(names = "--max-objects", defaultValue = "6", paramLabel = "N", description = "Objects per image are 1..N (default: ${DEFAULT-VALUE}).")
    int maxObjects;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Rendering threads (default: all processors); the output does not depend on it.")
    Integer threads;

    @Option(names = "--force", description = "Write into a non-empty OUT, replacing earlier generated files there.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (images < 1) throw new UserError("--images must be at least 1, got " + images);
        int valImages = val != null ? val : Math.max(1, images / 10);
        if (valImages < 0) throw new UserError("--val must not be negative, got " + valImages);
        if (classes < 1 || classes > ShapesDatasetWriter.SHAPES.size()) {
            throw new UserError("--shape-kinds must be 1.." + ShapesDatasetWriter.SHAPES.size() + ", got " + classes);
        }
        if (size != null && (width != null || height != null)) throw new UserError("give either --size or --width/--height, not both");
        int w = size != null ? size : width != null ? width : 160;
        int h = size != null ? size : height != null ? height : 160;
        if (w < 32 || h < 32 || w > 4096 || h > 4096) throw new UserError("image size must be 32..4096 pixels a side, got " + w + "x" + h);
        if (maxObjects < 1 || maxObjects > 100) throw new UserError("--max-objects must be 1..100, got " + maxObjects);
        if (threads != null && threads < 1) throw new UserError("--threads must be at least 1, got " + threads);
        checkOut();

        String command = String.format(Locale.ROOT,
                "resdet data synth --out %s --images %d --val %d --shape-kinds %d --width %d --height %d --max-objects %d --seed %d",
                out, images, valImages, classes, w, h, maxObjects, seed);
        ShapesDatasetWriter.Builder b = ShapesDatasetWriter.builder().setImages(images, valImages).optClasses(classes)
                .optSize(w, h).optMaxObjects(maxObjects).optSeed(seed).optCommand(command);
        if (threads != null) b.optThreads(threads);
        long t0 = System.nanoTime();
        ShapesDatasetWriter.Summary s;
        try (Progress progress = new Progress("resdet data synth", images + valImages, "images")) {
            s = b.build().write(out, progress);
        }
        System.err.printf(Locale.ROOT, "resdet data synth: wrote %d train images (%d objects) and %d val images (%d objects) of %dx%d, "
                        + "%d classes, to %s in %.1f s%n", s.trainImages(), s.trainObjects(), s.valImages(), s.valObjects(), w, h, classes,
                out, (System.nanoTime() - t0) / 1e9);
        return 0;
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
