package io.resdet.detector.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * torch's {@code interpolate(mode="bilinear", align_corners=False)} without antialiasing, which
 * torchvision's detection transform uses. DJL 0.36's {@code interpolation} antialiases when it shrinks
 * (same result when enlarging), so images larger than the detector's input size came out blurred compared
 * with torchvision; this does the two separable linear passes with torch's index and weight rules.
 * {@link #shrinks} tells when it is needed: enlarging stays with DJL, which is torch's own kernel.
 */
public final class Bilinear {
    private Bilinear() {}

    /** Resizes (C, H, W) to (C, outH, outW). */
    public static NDArray resize(NDArray img, long outH, long outW) {
        long h = img.getShape().get(1), w = img.getShape().get(2);
        // Width first, then height: torch's kernel nests the sums this way, so rounding matches too.
        NDArray cols = axis(img, 2, w, outW);
        return axis(cols, 1, h, outH);
    }

    /** Whether resizing to {@code outH × outW} shrinks an axis, where DJL's interpolation would antialias. */
    public static boolean shrinks(NDArray img, long outH, long outW) {
        return outH < img.getShape().get(1) || outW < img.getShape().get(2);
    }

    private static NDArray axis(NDArray x, int axis, long in, long out) {
        NDManager m = x.getManager();
        long[] i0 = new long[(int) out], i1 = new long[(int) out];
        float[] l1 = new float[(int) out], l0 = new float[(int) out];
        // area_pixel_compute_scale / area_pixel_compute_source_index in float, as torch's CPU kernel does.
        float scale = (float) in / (float) out;
        for (int d = 0; d < out; d++) {
            float src = Math.max(scale * (d + 0.5f) - 0.5f, 0f);
            long lo = Math.min((long) src, in - 1);
            float lambda = Math.min(Math.max(src - lo, 0f), 1f);
            i0[d] = lo;
            i1[d] = lo < in - 1 ? lo + 1 : lo;
            l1[d] = lambda;
            l0[d] = 1f - lambda;
        }
        Shape wShape = axis == 1 ? new Shape(1, out, 1) : new Shape(1, 1, out);
        String idx = axis == 1 ? ":, {}, :" : ":, :, {}";
        NDArray a = x.get(new NDIndex(idx, m.create(i0).toDevice(x.getDevice(), false)));
        NDArray b = x.get(new NDIndex(idx, m.create(i1).toDevice(x.getDevice(), false)));
        NDArray w0 = m.create(l0, wShape).toDevice(x.getDevice(), false);
        NDArray w1 = m.create(l1, wShape).toDevice(x.getDevice(), false);
        return a.mul(w0).add(b.mul(w1));
    }
}
