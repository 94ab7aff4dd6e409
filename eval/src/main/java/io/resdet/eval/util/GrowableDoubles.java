package io.resdet.eval.util;

import java.util.Arrays;

/** A growable {@code double[]}: detections are stored column-wise, without an object per row. */
public final class GrowableDoubles {
    private double[] a = new double[1024];
    private int n;

    public void add(double v) {
        if (n == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[n++] = v;
    }

    public int size() {
        return n;
    }

    public double[] toArray() {
        return Arrays.copyOf(a, n);
    }
}
