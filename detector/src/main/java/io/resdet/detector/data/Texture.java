package io.resdet.detector.data;

import io.resdet.train.SplitMix;

import java.util.ArrayList;
import java.util.List;

/**
 * Backgrounds for the generated set, busy enough that "anything not flat is an object" does not work: a
 * two-colour gradient in a random direction, sinusoidal stripes over the whole image or a patch (60% of images),
 * up to four translucent straight lines crossing the image, and per-pixel noise laid over the finished image,
 * shapes included. Float RGB, interleaved, 0..255.
 */
final class Texture {
    private Texture() {}

    static float[] background(int w, int h, SplitMix r) {
        float[] out = new float[w * h * 3];
        float[] c0 = randomColour(r), c1 = randomColour(r);
        double th = r.nextDouble() * 2 * Math.PI, dx = StrictMath.cos(th), dy = StrictMath.sin(th);
        double lo = Math.min(0, dx * w) + Math.min(0, dy * h), hi = Math.max(0, dx * w) + Math.max(0, dy * h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float t = (float) (((x + 0.5) * dx + (y + 0.5) * dy - lo) / (hi - lo));
                int p = (y * w + x) * 3;
                for (int c = 0; c < 3; c++) out[p + c] = c0[c] + (c1[c] - c0[c]) * t;
            }
        }
        if (r.nextDouble() < 0.6) stripes(out, w, h, r);
        int lines = r.nextInt(5);
        for (int i = 0; i < lines; i++) line(out, w, h, r);
        return out;
    }

    private static void stripes(float[] img, int w, int h, SplitMix r) {
        double period = 6 + r.nextDouble() * 18, phi = r.nextDouble() * Math.PI, phase = r.nextDouble() * 2 * Math.PI;
        double amp = 8 + r.nextDouble() * 17;
        float[] tint = randomColour(r);
        double norm = 0;
        for (float t : tint) norm += (t - 127.5) * (t - 127.5);
        norm = Math.sqrt(norm) + 1e-6;
        // a patch half the time, so stripes are not always a global property of the image
        boolean patch = r.nextBoolean();
        int px0 = patch ? r.nextInt(w / 2) : 0, py0 = patch ? r.nextInt(h / 2) : 0;
        int px1 = patch ? px0 + w / 4 + r.nextInt(w / 2) : w, py1 = patch ? py0 + h / 4 + r.nextInt(h / 2) : h;
        double cx = StrictMath.cos(phi), cy = StrictMath.sin(phi);
        for (int y = py0; y < Math.min(h, py1); y++) {
            for (int x = px0; x < Math.min(w, px1); x++) {
                double s = amp * StrictMath.sin(2 * Math.PI * (x * cx + y * cy) / period + phase);
                int p = (y * w + x) * 3;
                for (int c = 0; c < 3; c++) img[p + c] += (float) (s * (tint[c] - 127.5) / norm * 1.7);
            }
        }
    }

    private static void line(float[] img, int w, int h, SplitMix r) {
        double ax = r.nextDouble() * w, ay = r.nextDouble() * h, bx = r.nextDouble() * w, by = r.nextDouble() * h;
        // the whole line through the two points, so lines read as long strokes across the image, never as blobs
        double len = StrictMath.hypot(bx - ax, by - ay) + 1e-9, ux = (bx - ax) / len, uy = (by - ay) / len;
        double halfWidth = 0.5 + r.nextDouble(), opacity = 0.3 + 0.5 * r.nextDouble();
        float[] c = randomColour(r);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double px = x + 0.5 - ax, py = y + 0.5 - ay;
                double d = Math.abs(px * uy - py * ux);
                double a = opacity * Math.min(1, Math.max(0, halfWidth + 0.5 - d));
                if (a <= 0) continue;
                int p = (y * w + x) * 3;
                for (int k = 0; k < 3; k++) img[p + k] += (float) (a * (c[k] - img[p + k]));
            }
        }
    }

    /**
     * Noise of a per-image sigma of 3..9 grey levels: each value a sum of three uniforms (Irwin–Hall, close enough
     * to Gaussian here), from one 63-bit draw, so no transcendental functions and no platform-dependent rounding.
     */
    static float[] noise(int w, int h, SplitMix r) {
        double sigma = 3 + 6 * r.nextDouble();
        // three 21-bit uniforms summed have variance 3/12 = 1/4: scale by 2 sigma for the wanted spread
        double scale = 2 * sigma / (1 << 21);
        float[] out = new float[w * h * 3];
        for (int i = 0; i < out.length; i++) {
            long v = r.nextLong();
            long sum = (v & 0x1FFFFF) + ((v >>> 21) & 0x1FFFFF) + ((v >>> 42) & 0x1FFFFF);
            out[i] = (float) ((sum - 1.5 * (1 << 21)) * scale);
        }
        return out;
    }

    /** The background's mean over {@code box} and its colour at the box's corners and centre. */
    static List<float[]> samples(float[] bg, int w, double[] box) {
        int h = bg.length / 3 / w;
        int x0 = clamp((int) box[0], w), x1 = clamp((int) Math.ceil(box[2]) - 1, w);
        int y0 = clamp((int) box[1], h), y1 = clamp((int) Math.ceil(box[3]) - 1, h);
        List<float[]> out = new ArrayList<>();
        double[] sum = new double[3];
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) for (int c = 0; c < 3; c++) sum[c] += bg[(y * w + x) * 3 + c];
        }
        double n = (double) (x1 - x0 + 1) * (y1 - y0 + 1);
        out.add(new float[] {(float) (sum[0] / n), (float) (sum[1] / n), (float) (sum[2] / n)});
        int[][] pts = {{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}, {(x0 + x1) / 2, (y0 + y1) / 2}};
        for (int[] pt : pts) {
            int p = (pt[1] * w + pt[0]) * 3;
            out.add(new float[] {bg[p], bg[p + 1], bg[p + 2]});
        }
        return out;
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n - 1, v));
    }

    private static float[] randomColour(SplitMix r) {
        return new float[] {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
    }
}
