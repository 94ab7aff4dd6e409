package io.resdet.eval.util;

/**
 * numpy's float64 summation ({@code pairwise_sum_DOUBLE}: 8 interleaved accumulators in blocks of
 * up to 128, halves above that, over chunks of 8192). Summing in the same order as numpy makes means bit-identical to
 * pycocotools' and voc_eval's, not merely close.
 */
public final class NumpySum {
    private static final int BLOCK = 128;

    private NumpySum() {
    }

    /** numpy's reduction iterator hands the add loop at most 8192 elements at a time (its buffer size). */
    private static final int NPY_BUFSIZE = 8192;

    public static double sum(double[] a, int n) {
        double res = 0.;
        for (int off = 0; off < n; off += NPY_BUFSIZE) res += pairwise(a, off, Math.min(NPY_BUFSIZE, n - off));
        return res;
    }

    /** {@code np.mean} of the first {@code n} values. */
    public static double mean(double[] a, int n) {
        return sum(a, n) / n;
    }

    private static double pairwise(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) res += a[off + i];
            return res;
        } else if (n <= BLOCK) {
            double r0 = a[off], r1 = a[off + 1], r2 = a[off + 2], r3 = a[off + 3];
            double r4 = a[off + 4], r5 = a[off + 5], r6 = a[off + 6], r7 = a[off + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                r0 += a[off + i];
                r1 += a[off + i + 1];
                r2 += a[off + i + 2];
                r3 += a[off + i + 3];
                r4 += a[off + i + 4];
                r5 += a[off + i + 5];
                r6 += a[off + i + 6];
                r7 += a[off + i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) res += a[off + i];
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwise(a, off, n2) + pairwise(a, off + n2, n - n2);
        }
    }
}
