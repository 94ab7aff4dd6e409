package io.resdet.detector.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import io.resdet.util.Progress;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the generated shapes detection set ({@link ShapesScene}): {@code train/*.png}, {@code val/*.png},
 * {@code annotations/instances_train.json} and {@code instances_val.json} (COCO: category ids 1..K = labels),
 * {@code labels.txt} (background + class names, one per line, the detector's label-file format) and a
 * {@code README.txt} with the command that reproduces it.
 *
 * <p>Image i of a split is drawn from its own seed, a hash of (seed, split, i): the files do not depend on the
 * thread count, the same settings give byte-identical files, and train and val never share an image.
 *
 * <pre>{@code
 * ShapesDatasetWriter.builder().setImages(2000, 200).optClasses(3).optSeed(1).build().write(Path.of("shapes"), null);
 * }</pre>
 */
public final class ShapesDatasetWriter {
    /** Every class the generator can draw, in label order (label i = index i - 1); {@code --classes K} takes the first K. */
    public static final List<String> SHAPES = ShapeKind.names(ShapeKind.COUNT);

    /** What was written. */
    public record Summary(int trainImages, int valImages, long trainObjects, long valObjects) {}

    private final int train, val, classes, width, height, maxObjects, threads;
    private final long seed;
    private final String command;

    private ShapesDatasetWriter(Builder b) {
        train = b.train;
        val = b.val;
        classes = b.classes;
        width = b.width;
        height = b.height;
        maxObjects = b.maxObjects;
        threads = b.threads;
        seed = b.seed;
        command = b.command != null ? b.command : String.format(Locale.ROOT,
                "resdet data synth --out OUT --images %d --val %d --classes %d --width %d --height %d --max-objects %d --seed %d",
                train, val, classes, width, height, maxObjects, seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Background + the K class names: the contents of {@code labels.txt}. */
    public List<String> labels() {
        List<String> out = new ArrayList<>();
        out.add("__background__");
        out.addAll(ShapeKind.names(classes));
        return out;
    }

    /**
     * Writes the set into {@code out}, replacing earlier output of this writer there (its PNGs, annotation files,
     * labels and README); other files are left alone. {@code progress} (may be null) counts images.
     */
    public Summary write(Path out, Progress progress) throws IOException {
        Files.createDirectories(out);
        clearPrevious(out);
        Path ann = Files.createDirectories(out.resolve("annotations"));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "shapes-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            long trainObjects = split(pool, out, ann, "train", 0, train, progress);
            long valObjects = split(pool, out, ann, "val", 1, val, progress);
            Files.write(out.resolve("labels.txt"), labels(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("README.txt"), readme(trainObjects, valObjects), StandardCharsets.UTF_8);
            return new Summary(train, val, trainObjects, valObjects);
        } finally {
            pool.shutdownNow();
        }
    }

    private long split(ExecutorService pool, Path out, Path ann, String name, int splitIndex, int n, Progress progress) throws IOException {
        Path dir = Files.createDirectories(out.resolve(name));
        int digits = Math.max(6, Integer.toString(n).length());
        List<Future<List<ShapesScene.Target>>> jobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long imageSeed = imageSeed(seed, splitIndex, i);
            Path file = dir.resolve(fileName(i, digits));
            jobs.add(pool.submit(() -> {
                ShapesScene scene = ShapesScene.generate(width, height, classes, maxObjects, imageSeed);
                writePng(scene.render(), file);
                if (progress != null) progress.step(1);
                return scene.targets();
            }));
        }
        long objects = 0;
        try (JsonGenerator g = new JsonFactory().createGenerator(ann.resolve("instances_" + name + ".json").toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("info");
            g.writeStringField("description", "resdet generated shapes, split " + name + ": " + command);
            g.writeNumberField("seed", seed);
            g.writeEndObject();
            g.writeArrayFieldStart("images");
            for (int i = 0; i < n; i++) {
                g.writeStartObject();
                g.writeNumberField("id", i + 1);
                g.writeStringField("file_name", fileName(i, digits));
                g.writeNumberField("width", width);
                g.writeNumberField("height", height);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("annotations");
            for (int i = 0; i < n; i++) {
                for (ShapesScene.Target t : await(jobs.get(i))) {
                    double[] b = t.box();
                    g.writeStartObject();
                    g.writeNumberField("id", ++objects);
                    g.writeNumberField("image_id", i + 1);
                    g.writeNumberField("category_id", t.label());
                    g.writeArrayFieldStart("bbox");
                    g.writeNumber(b[0]);
                    g.writeNumber(b[1]);
                    g.writeNumber(b[2] - b[0]);
                    g.writeNumber(b[3] - b[1]);
                    g.writeEndArray();
                    g.writeNumberField("area", t.area());
                    g.writeNumberField("iscrowd", 0);
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("categories");
            List<String> names = ShapeKind.names(classes);
            for (int k = 0; k < names.size(); k++) {
                g.writeStartObject();
                g.writeNumberField("id", k + 1);
                g.writeStringField("name", names.get(k));
                g.writeStringField("supercategory", "shape");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return objects;
    }

    static long imageSeed(long seed, int split, int index) {
        long h = seed;
        for (long v : new long[] {split, index}) {
            h += 0x9E3779B97F4A7C15L + v;
            h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
            h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
            h ^= h >>> 31;
        }
        return h;
    }

    static String fileName(int index, int digits) {
        return String.format(Locale.ROOT, "%0" + digits + "d.png", index + 1);
    }

    private static void writePng(RgbImage im, Path file) {
        try {
            if (!ImageIO.write(Images.toBufferedImage(im), "png", file.toFile())) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void clearPrevious(Path out) throws IOException {
        for (String split : new String[] {"train", "val"}) {
            Path dir = out.resolve(split);
            if (!Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> pngs = Files.newDirectoryStream(dir, "*.png")) {
                for (Path p : pngs) Files.delete(p);
            }
            Files.deleteIfExists(out.resolve("annotations").resolve("instances_" + split + ".json"));
        }
        Files.deleteIfExists(out.resolve("labels.txt"));
        Files.deleteIfExists(out.resolve("README.txt"));
    }

    private String readme(long trainObjects, long valObjects) {
        return String.join("\n",
                "Generated shapes detection set (resdet data synth).",
                "",
                "Made with:  " + command,
                "Seed " + seed + "; the same command gives byte-identical files (any thread count).",
                "",
                String.format(Locale.ROOT, "train: %d images, %d objects   val: %d images, %d objects", train, trainObjects, val, valObjects),
                String.format(Locale.ROOT, "images: %dx%d PNG; 1..%d objects each; classes (label = COCO category id): %s",
                        width, height, maxObjects, String.join(", ", ShapeKind.names(classes))),
                "",
                "Classes are shapes; colours are random (never the class). Objects are " + (int) ShapesScene.MIN_SIZE
                        + " px to 55% of the short side, overlap with IoU <= 0.3 and stay >= 70% visible.",
                "Boxes (COCO [x, y, w, h]) are the tight extent of what is drawn of each shape, to 1/4 px; area is its visible area.",
                "",
                "Layout: train/*.png, val/*.png, annotations/instances_{train,val}.json (COCO), labels.txt (line 0 __background__).",
                "Use as a dataset spec: the folder itself (train split for training, val for validation),",
                "or coco:<folder>/annotations/instances_train.json:<folder>/train.",
                "");
    }

    /** DJL style: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private int train = -1, val = -1;
        private int classes = 3, width = 160, height = 160, maxObjects = 6;
        private int threads = Runtime.getRuntime().availableProcessors();
        private long seed = 1;
        private String command;

        private Builder() {}

        /** Number of training and validation images. */
        public Builder setImages(int train, int val) {
            this.train = train;
            this.val = val;
            return this;
        }

        /** Number of classes K, 1..8 (default 3): the first K of {@link #SHAPES}. */
        public Builder optClasses(int classes) {
            this.classes = classes;
            return this;
        }

        /** Image size (default 160×160), each side 32..4096. */
        public Builder optSize(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /** Objects per image are 1..N (default 6). */
        public Builder optMaxObjects(int maxObjects) {
            this.maxObjects = maxObjects;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Rendering threads (default: the processor count); the output does not depend on it. */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** The command line recorded in README.txt (default: the equivalent {@code resdet data synth} call). */
        public Builder optCommand(String command) {
            this.command = command;
            return this;
        }

        public ShapesDatasetWriter build() {
            if (train < 1) throw new IllegalArgumentException("training images must be at least 1, got " + train);
            if (val < 0) throw new IllegalArgumentException("validation images must not be negative, got " + val);
            if (classes < 1 || classes > ShapeKind.COUNT) {
                throw new IllegalArgumentException("classes must be 1.." + ShapeKind.COUNT + ", got " + classes);
            }
            if (width < 32 || height < 32 || width > 4096 || height > 4096) {
                throw new IllegalArgumentException("image size must be 32..4096 on each side, got " + width + "x" + height);
            }
            if (maxObjects < 1 || maxObjects > 100) throw new IllegalArgumentException("max objects must be 1..100, got " + maxObjects);
            if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            return new ShapesDatasetWriter(this);
        }
    }
}
