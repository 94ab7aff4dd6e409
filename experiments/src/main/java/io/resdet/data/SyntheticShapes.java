package io.resdet.data;

import io.resdet.train.SplitMix;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated 32×32 ten-class dataset for machines without CIFAR, built so that a label needs structure
 * beyond a few pixels. Class = shape (disk, square, triangle, ring, cross) × stripe direction of the shape's
 * fill (horizontal or vertical). Each image also has:
 * <ul>
 *   <li>random colours for background, shape and stripes (so colour says nothing about the class);</li>
 *   <li>a random size (radius 6–11 px), position and rotation (±25°) of the shape's outline (stripes stay
 *       axis-aligned, so direction is well defined);</li>
 *   <li>clutter: a striped patch with a <i>random</i> direction and one to three line segments, so "is there
 *       a horizontal stripe somewhere" does not decide the class — the stripes must be the ones inside the
 *       shape, and the shape must be told from its outline;</li>
 *   <li>Gaussian pixel noise (σ = 10 grey levels).</li>
 * </ul>
 * Images come from a {@link SplitMix} stream: the same seed gives the same bytes on every machine.
 */
public final class SyntheticShapes {
    private static final String[] SHAPES = {"disk", "square", "triangle", "ring", "cross"};
    private static final int S = 32;

    private SyntheticShapes() {}

    public static List<String> classes() {
        List<String> out = new ArrayList<>();
        for (String s : SHAPES) {
            out.add(s + "-horizontal");
            out.add(s + "-vertical");
        }
        return out;
    }

    /** {@code n} images with balanced labels in a seeded random order. */
    public static ImageSet generate(int n, long seed) {
        SplitMix r = new SplitMix(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        r.shuffle(labels);
        byte[] px = new byte[n * 3 * S * S];
        float[] img = new float[3 * S * S];
        for (int i = 0; i < n; i++) {
            render(labels[i] / 2, labels[i] % 2 == 1, r, img);
            for (int k = 0; k < img.length; k++) px[i * img.length + k] = (byte) Math.max(0, Math.min(255, Math.round(img[k])));
        }
        return new ImageSet(px, labels, 3, S, S, classes());
    }

    static void render(int shape, boolean vertical, SplitMix r, float[] img) {
        float[] bg = colour(r), fg = colour(r), stripe = contrasting(fg, r);
        for (int y = 0; y < S; y++) for (int x = 0; x < S; x++) put(img, x, y, bg);

        // Clutter patch first, so the shape can partly cover it.
        int pw = 6 + r.nextInt(6), ph = 6 + r.nextInt(6), px0 = r.nextInt(S - pw), py0 = r.nextInt(S - ph);
        boolean pv = r.nextBoolean();
        float[] pa = colour(r), pb = contrasting(pa, r);
        int pperiod = 2 + r.nextInt(2);
        for (int y = py0; y < py0 + ph; y++) {
            for (int x = px0; x < px0 + pw; x++) put(img, x, y, ((pv ? x : y) / pperiod) % 2 == 0 ? pa : pb);
        }

        double rad = 6 + r.nextDouble() * 5;
        double cx = rad + r.nextDouble() * (S - 2 * rad), cy = rad + r.nextDouble() * (S - 2 * rad);
        double th = (r.nextDouble() - 0.5) * Math.toRadians(50), cos = Math.cos(th), sin = Math.sin(th);
        int period = 2 + r.nextInt(2), phase = r.nextInt(period * 2);
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                double u = cos * dx + sin * dy, v = -sin * dx + cos * dy;
                if (inside(shape, u / rad, v / rad)) {
                    put(img, x, y, (((vertical ? x : y) + phase) / period) % 2 == 0 ? fg : stripe);
                }
            }
        }

        int lines = 1 + r.nextInt(3);
        for (int l = 0; l < lines; l++) {
            float[] c = colour(r);
            double x0 = r.nextDouble() * S, y0 = r.nextDouble() * S, ang = r.nextDouble() * Math.PI, len = 6 + r.nextDouble() * 10;
            for (double t = 0; t <= len; t += 0.5) {
                put(img, (int) (x0 + t * Math.cos(ang)), (int) (y0 + t * Math.sin(ang)), c);
            }
        }
        for (int k = 0; k < img.length; k++) img[k] += (float) (10 * r.nextGaussian());
    }

    /** Shape membership in units of the radius. */
    static boolean inside(int shape, double u, double v) {
        double d2 = u * u + v * v;
        return switch (shape) {
            case 0 -> d2 <= 1;
            case 1 -> Math.max(Math.abs(u), Math.abs(v)) <= 0.8;
            case 2 -> v >= -0.9 && v <= 0.8 && Math.abs(u) <= (v + 0.9) * 0.6;
            case 3 -> d2 <= 1 && d2 >= 0.3;
            case 4 -> (Math.abs(u) <= 0.3 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 1);
            default -> throw new IllegalArgumentException("shape " + shape);
        };
    }

    private static float[] colour(SplitMix r) {
        return new float[] {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
    }

    /** A second colour far enough from {@code c} for stripes to be visible. */
    private static float[] contrasting(float[] c, SplitMix r) {
        float[] o = new float[3];
        for (int k = 0; k < 3; k++) {
            float shift = 80 + r.nextInt(80);
            o[k] = c[k] > 127 ? c[k] - shift : c[k] + shift;
        }
        return o;
    }

    private static void put(float[] img, int x, int y, float[] c) {
        if (x < 0 || y < 0 || x >= S || y >= S) return;
        for (int k = 0; k < 3; k++) img[k * S * S + y * S + x] = c[k];
    }
}
