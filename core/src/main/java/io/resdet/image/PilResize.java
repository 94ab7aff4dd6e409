package io.resdet.image;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)} for 8-bit RGB, reproduced bit for bit: a separable
 * triangle filter whose support widens with the downscale factor (antialiasing), coefficients in 22-bit
 * fixed point, a horizontal pass rounded to 8 bits and then a vertical pass. torchvision's ImageNet eval
 * transform on PIL images is exactly this, so classification matches torchvision pixel for pixel.
 */
public final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResize() {}

    public static RgbImage bilinear(RgbImage in, int outW, int outH) {
        if (outW <= 0 || outH <= 0) throw new IllegalArgumentException("target size " + outW + "x" + outH);
        RgbImage cur = in;
        if (outW != in.width()) cur = horizontal(cur, outW);
        if (outH != in.height()) cur = vertical(cur, outH);
        return cur == in ? new RgbImage(in.width(), in.height(), in.rgb().clone()) : cur;
    }

    /** Fixed-point weights and source bounds per output pixel (Pillow's precompute_coeffs + normalize). */
    private record Coeffs(int ksize, int[] bounds, int[] kk) {}

    private static Coeffs coeffs(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = 1.0 * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        int[] kk = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ww = 0.0;
            double ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            for (int x = 0; x < xmax; x++) {
                double w = triangle((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < ksize; x++) {
                double v = x < xmax ? (ww != 0.0 ? k[x] / ww : k[x]) : 0.0;
                kk[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return new Coeffs(ksize, bounds, kk);
    }

    private static double triangle(double x) {
        if (x < 0.0) x = -x;
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static int clip8(long v) {
        if (v >= (1L << PRECISION_BITS << 8)) return 255;
        if (v <= 0) return 0;
        return (int) (v >> PRECISION_BITS);
    }

    private static RgbImage horizontal(RgbImage in, int outW) {
        Coeffs c = coeffs(in.width(), outW);
        int h = in.height(), inW = in.width();
        byte[] src = in.rgb();
        byte[] dst = new byte[outW * h * 3];
        for (int y = 0; y < h; y++) {
            int row = y * inW * 3;
            for (int xx = 0; xx < outW; xx++) {
                int xmin = c.bounds[xx * 2], xmax = c.bounds[xx * 2 + 1], kb = xx * c.ksize;
                long s0 = 1L << (PRECISION_BITS - 1), s1 = s0, s2 = s0;
                for (int x = 0; x < xmax; x++) {
                    int p = row + (x + xmin) * 3;
                    long k = c.kk[kb + x];
                    s0 += (src[p] & 0xff) * k;
                    s1 += (src[p + 1] & 0xff) * k;
                    s2 += (src[p + 2] & 0xff) * k;
                }
                int o = (y * outW + xx) * 3;
                dst[o] = (byte) clip8(s0);
                dst[o + 1] = (byte) clip8(s1);
                dst[o + 2] = (byte) clip8(s2);
            }
        }
        return new RgbImage(outW, h, dst);
    }

    private static RgbImage vertical(RgbImage in, int outH) {
        Coeffs c = coeffs(in.height(), outH);
        int w = in.width();
        byte[] src = in.rgb();
        byte[] dst = new byte[w * outH * 3];
        for (int yy = 0; yy < outH; yy++) {
            int ymin = c.bounds[yy * 2], ymax = c.bounds[yy * 2 + 1], kb = yy * c.ksize;
            for (int x = 0; x < w; x++) {
                long s0 = 1L << (PRECISION_BITS - 1), s1 = s0, s2 = s0;
                for (int y = 0; y < ymax; y++) {
                    int p = ((y + ymin) * w + x) * 3;
                    long k = c.kk[kb + y];
                    s0 += (src[p] & 0xff) * k;
                    s1 += (src[p + 1] & 0xff) * k;
                    s2 += (src[p + 2] & 0xff) * k;
                }
                int o = (yy * w + x) * 3;
                dst[o] = (byte) clip8(s0);
                dst[o + 1] = (byte) clip8(s1);
                dst[o + 2] = (byte) clip8(s2);
            }
        }
        return new RgbImage(w, outH, dst);
    }
}
