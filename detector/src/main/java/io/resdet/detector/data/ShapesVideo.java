package io.resdet.detector.data;

import io.resdet.image.RgbImage;
import io.resdet.train.SplitMix;

import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic video in the style of {@code data synth}: one generated scene (textured background, shapes of the
 * first {@code classes} kinds) whose shapes drift at constant speed and bounce off the borders, passing over
 * one another. Frames come with their ground truth, so a demo can show what the detector should find.
 * Deterministic for a seed.
 */
public final class ShapesVideo {
    /**
     * One frame: the image and its visible objects' boxes ({@code x1, y1, x2, y2}, visible extent), labels 1..C,
     * identities (1..objects, the same object keeps its id in every frame) and visible fractions (0..1] of their area.
     */
    public record Frame(RgbImage image, List<double[]> boxes, List<Integer> labels, List<Integer> ids, List<Double> visibility) {}

    private final ShapesScene start;
    private final double[][] velocity;
    private final List<String> classNames;

    public ShapesVideo(int width, int height, int classes, int maxObjects, long seed) {
        this(width, height, classes, maxObjects, seed, false);
    }

    /**
     * With {@code exact}, the video has exactly {@code objects} shapes (the first scene from the seed on where all
     * of them could be placed, else the one with the most); otherwise 1..objects, at least 3 where possible.
     */
    public ShapesVideo(int width, int height, int classes, int objects, long seed, boolean exact) {
        if (classes < 1 || classes > ShapeKind.COUNT) throw new IllegalArgumentException("classes must be 1.." + ShapeKind.COUNT);
        if (width < 32 || height < 32) throw new IllegalArgumentException("video frames must be at least 32x32, got " + width + "x" + height);
        if (objects < 1) throw new IllegalArgumentException("objects must be at least 1, got " + objects);
        int maxObjects = objects;
        ShapesScene scene;
        if (exact) {
            scene = ShapesScene.generate(width, height, classes, maxObjects, seed, objects);
            for (long s = seed + 1; scene.objects().size() < objects && s <= seed + 100; s++) {
                ShapesScene next = ShapesScene.generate(width, height, classes, maxObjects, s, objects);
                if (next.objects().size() > scene.objects().size()) scene = next;
            }
        } else {
            // A video with one lonely shape shows little: take the seed's first scene with a few objects.
            scene = ShapesScene.generate(width, height, classes, maxObjects, seed);
            for (long s = seed + 1; scene.objects().size() < Math.min(3, maxObjects) && s <= seed + 100; s++) {
                scene = ShapesScene.generate(width, height, classes, maxObjects, s);
            }
        }
        this.start = scene;
        SplitMix r = new SplitMix(seed ^ 0x5DEECE66DL);
        velocity = new double[start.objects().size()][];
        for (int i = 0; i < velocity.length; i++) {
            double speed = 0.6 + 1.2 * r.nextDouble(), angle = 2 * Math.PI * r.nextDouble();
            velocity[i] = new double[] {speed * Math.cos(angle), speed * Math.sin(angle)};
        }
        List<String> names = new ArrayList<>(List.of("__background__"));
        names.addAll(ShapeKind.names(classes));
        this.classNames = List.copyOf(names);
    }

    /** {@code __background__}, then the shape names: the labels of a model trained on {@code data synth} output. */
    public List<String> classNames() {
        return classNames;
    }

    public Frame frame(long index) {
        List<Outline> outlines = new ArrayList<>();
        for (int k = 0; k < velocity.length; k++) {
            Outline o = start.objects().get(k).outline();
            double[] b = o.bounds();
            outlines.add(o.moved(bounce(b[0], b[2] - b[0], start.width(), velocity[k][0] * index) - b[0],
                    bounce(b[1], b[3] - b[1], start.height(), velocity[k][1] * index) - b[1]));
        }
        ShapesScene scene = start.withOutlines(outlines);
        List<double[]> boxes = new ArrayList<>();
        List<Integer> labels = new ArrayList<>(), ids = new ArrayList<>();
        List<Double> visibility = new ArrayList<>();
        List<ShapesScene.Target> targets = scene.targets();
        for (int k = 0; k < targets.size(); k++) {
            ShapesScene.Target t = targets.get(k);
            if (t.area() <= 0) continue;
            boxes.add(t.box());
            labels.add(t.label());
            ids.add(k + 1);
            double full = ShapesScene.cells(outlines.get(k), start.width() * ShapesScene.SUB, start.height() * ShapesScene.SUB).length
                    / (double) (ShapesScene.SUB * ShapesScene.SUB);
            visibility.add(full > 0 ? Math.min(1, t.area() / full) : 0);
        }
        return new Frame(scene.render(), boxes, labels, List.copyOf(ids), List.copyOf(visibility));
    }

    /** Objects in the video (ids 1..objects). */
    public int objects() {
        return velocity.length;
    }

    /** Position after travelling {@code distance} from {@code from} between walls at 1 and {@code size - 1} (a triangle wave). */
    static double bounce(double from, double extent, int size, double distance) {
        double span = size - 2 - extent;
        if (span <= 0) return from;
        double p = (from - 1 + distance) % (2 * span);
        if (p < 0) p += 2 * span;
        return 1 + (p <= span ? p : 2 * span - p);
    }
}
