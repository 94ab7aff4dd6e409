package io.resdet.detector.data;

import io.resdet.image.RgbImage;
import io.resdet.train.SplitMix;

import java.util.ArrayList;
import java.util.List;

/**
 * One generated image: a textured background (two-colour gradient, sometimes sinusoidal stripes, a few translucent
 * lines, noise over everything) and 1..maxObjects solid shapes. Shapes are rendered with 4×4 supersampling
 * and the box of each is the extent of the subsamples where it is the topmost shape — what is actually drawn, to a
 * quarter pixel, after occlusion.
 *
 * <p>Placement keeps every object recognisable: a new shape is retried elsewhere (and at another size) when its box
 * overlaps an earlier one's with IoU above 0.3, or when it would leave an earlier shape less than 70% visible.
 * Colours are random, at least {@value #MIN_CONTRAST} apart (RGB distance) from the background under the shape and
 * from the shapes it overlaps, when 40 draws find one; else the most distant draw.
 *
 * <p>Everything comes from one {@link SplitMix} seed and uses {@link StrictMath}, so the pixels are the same on
 * every machine.
 */
final class ShapesScene {
    static final int SUB = 4;
    static final double MIN_SIZE = 12;
    static final double MAX_SIZE_OF_SHORT_SIDE = 0.55;
    static final double MAX_IOU = 0.3;
    static final double MIN_VISIBLE = 0.7;
    static final double MIN_CONTRAST = 100;
    private static final int TRIES = 30;

    record Placed(ShapeKind kind, Outline outline, float[] colour) {}

    /** A target: label 1..C, box {@code x1, y1, x2, y2}, visible area in pixels. */
    record Target(int label, double[] box, double area) {}

    private final int width, height;
    private final float[] background;
    private final float[] noise;
    private final List<Placed> objects;
    /** Per subsample, 1 + the index of the topmost object there, or 0 for background. */
    private final short[] owner;

    private ShapesScene(int width, int height, float[] background, float[] noise, List<Placed> objects, short[] owner) {
        this.width = width;
        this.height = height;
        this.background = background;
        this.noise = noise;
        this.objects = objects;
        this.owner = owner;
    }

    static ShapesScene generate(int width, int height, int classes, int maxObjects, long seed) {
        return generate(width, height, classes, maxObjects, seed, 0);
    }

    /** With {@code exactly} > 0, tries to place that many objects instead of a random 1..maxObjects. */
    static ShapesScene generate(int width, int height, int classes, int maxObjects, long seed, int exactly) {
        SplitMix r = new SplitMix(seed);
        float[] bg = Texture.background(width, height, r);
        int gw = width * SUB, gh = height * SUB;
        short[] owner = new short[gw * gh];
        int n = 1 + r.nextInt(maxObjects);
        if (exactly > 0) n = exactly;
        List<Placed> placed = new ArrayList<>();
        List<double[]> bounds = new ArrayList<>();
        List<Integer> visible = new ArrayList<>(), total = new ArrayList<>();
        double maxSize = MAX_SIZE_OF_SHORT_SIDE * Math.min(width, height);
        for (int j = 0; j < n; j++) {
            ShapeKind kind = ShapeKind.values()[r.nextInt(classes)];
            for (int attempt = 0; attempt < TRIES; attempt++) {
                double size = MIN_SIZE * StrictMath.pow(maxSize / MIN_SIZE, r.nextDouble());
                Outline o = kind.make(size, r);
                double[] b = o.bounds();
                double bw = b[2] - b[0], bh = b[3] - b[1];
                if (bw > width - 2 || bh > height - 2) continue;
                o = o.moved(1 - b[0] + r.nextDouble() * (width - 2 - bw), 1 - b[1] + r.nextDouble() * (height - 2 - bh));
                double[] nb = o.bounds();
                if (bounds.stream().anyMatch(e -> iou(e, nb) > MAX_IOU)) continue;
                int[] cells = cells(o, gw, gh);
                int[] lost = new int[placed.size()];
                for (int c : cells) if (owner[c] > 0) lost[owner[c] - 1]++;
                boolean hidden = false;
                for (int i = 0; i < lost.length; i++) hidden |= visible.get(i) - lost[i] < MIN_VISIBLE * total.get(i);
                if (hidden || cells.length == 0) continue;
                float[] colour = colour(bg, width, nb, placed, bounds, r);
                for (int i = 0; i < lost.length; i++) visible.set(i, visible.get(i) - lost[i]);
                for (int c : cells) owner[c] = (short) (placed.size() + 1);
                visible.add(cells.length);
                total.add(cells.length);
                placed.add(new Placed(kind, o, colour));
                bounds.add(nb);
                break;
            }
        }
        float[] noise = Texture.noise(width, height, r);
        return new ShapesScene(width, height, bg, noise, List.copyOf(placed), owner);
    }

    /** The same background, noise and shapes with each object moved to {@code outlines} (drawn in order). */
    ShapesScene withOutlines(List<Outline> outlines) {
        int gw = width * SUB, gh = height * SUB;
        short[] own = new short[gw * gh];
        List<Placed> moved = new ArrayList<>();
        for (int k = 0; k < objects.size(); k++) {
            Placed p = objects.get(k);
            moved.add(new Placed(p.kind(), outlines.get(k), p.colour()));
            for (int c : cells(outlines.get(k), gw, gh)) own[c] = (short) (k + 1);
        }
        return new ShapesScene(width, height, background, noise, List.copyOf(moved), own);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    List<Placed> objects() {
        return objects;
    }

    RgbImage render() {
        return renderWithout(-1);
    }

    /** The image as if object {@code skip} had never been drawn (for checking boxes against pixels). */
    RgbImage renderWithout(int skip) {
        short[] owner = skip < 0 ? this.owner : owners(skip);
        byte[] rgb = new byte[width * height * 3];
        float[] acc = new float[3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = (y * width + x) * 3;
                acc[0] = acc[1] = acc[2] = 0;
                for (int sy = 0; sy < SUB; sy++) {
                    int row = (y * SUB + sy) * width * SUB + x * SUB;
                    for (int sx = 0; sx < SUB; sx++) {
                        int k = owner[row + sx];
                        if (k == 0) {
                            acc[0] += background[p];
                            acc[1] += background[p + 1];
                            acc[2] += background[p + 2];
                        } else {
                            float[] c = objects.get(k - 1).colour();
                            acc[0] += c[0];
                            acc[1] += c[1];
                            acc[2] += c[2];
                        }
                    }
                }
                for (int ch = 0; ch < 3; ch++) {
                    float v = acc[ch] / (SUB * SUB) + noise[p + ch];
                    rgb[p + ch] = (byte) Math.round(Math.min(255f, Math.max(0f, v)));
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** Each object's visible extent and area, in drawing order. */
    List<Target> targets() {
        int gw = width * SUB, n = objects.size();
        int[] x1 = new int[n], y1 = new int[n], x2 = new int[n], y2 = new int[n], count = new int[n];
        java.util.Arrays.fill(x1, Integer.MAX_VALUE);
        java.util.Arrays.fill(y1, Integer.MAX_VALUE);
        java.util.Arrays.fill(x2, -1);
        java.util.Arrays.fill(y2, -1);
        for (int c = 0; c < owner.length; c++) {
            int k = owner[c] - 1;
            if (k < 0) continue;
            int cx = c % gw, cy = c / gw;
            x1[k] = Math.min(x1[k], cx);
            y1[k] = Math.min(y1[k], cy);
            x2[k] = Math.max(x2[k], cx);
            y2[k] = Math.max(y2[k], cy);
            count[k]++;
        }
        List<Target> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double[] box = {x1[k] / (double) SUB, y1[k] / (double) SUB, (x2[k] + 1) / (double) SUB, (y2[k] + 1) / (double) SUB};
            out.add(new Target(objects.get(k).kind().ordinal() + 1, box, count[k] / (double) (SUB * SUB)));
        }
        return out;
    }

    private short[] owners(int skip) {
        int gw = width * SUB, gh = height * SUB;
        short[] owner = new short[gw * gh];
        for (int k = 0; k < objects.size(); k++) {
            if (k == skip) continue;
            for (int c : cells(objects.get(k).outline(), gw, gh)) owner[c] = (short) (k + 1);
        }
        return owner;
    }

    /** Subsample cells (row-major in the supersampled grid) whose centre lies inside {@code o}. */
    static int[] cells(Outline o, int gw, int gh) {
        double[] b = o.bounds();
        int cx0 = Math.max(0, (int) Math.floor(b[0] * SUB)), cx1 = Math.min(gw - 1, (int) Math.ceil(b[2] * SUB));
        int cy0 = Math.max(0, (int) Math.floor(b[1] * SUB)), cy1 = Math.min(gh - 1, (int) Math.ceil(b[3] * SUB));
        int[] out = new int[Math.max(0, (cx1 - cx0 + 1) * (cy1 - cy0 + 1))];
        int n = 0;
        for (int cy = cy0; cy <= cy1; cy++) {
            double y = (cy + 0.5) / SUB;
            for (int cx = cx0; cx <= cx1; cx++) {
                if (o.contains((cx + 0.5) / SUB, y)) out[n++] = cy * gw + cx;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static float[] colour(float[] bg, int width, double[] box, List<Placed> placed, List<double[]> bounds, SplitMix r) {
        List<float[]> avoid = new ArrayList<>(Texture.samples(bg, width, box));
        for (int i = 0; i < placed.size(); i++) if (intersects(bounds.get(i), box)) avoid.add(placed.get(i).colour());
        float[] best = null;
        double bestDistance = -1;
        for (int t = 0; t < 40; t++) {
            float[] c = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
            double d = Double.MAX_VALUE;
            for (float[] a : avoid) d = Math.min(d, distance(a, c));
            if (d > bestDistance) {
                best = c;
                bestDistance = d;
            }
            if (d >= MIN_CONTRAST) break;
        }
        return best;
    }

    private static double distance(float[] a, float[] b) {
        double dr = a[0] - b[0], dg = a[1] - b[1], db = a[2] - b[2];
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    private static boolean intersects(double[] a, double[] b) {
        return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    }

    static double iou(double[] a, double[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]), ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    }
}
