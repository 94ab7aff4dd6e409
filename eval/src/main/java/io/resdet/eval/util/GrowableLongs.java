package io.resdet.eval.util;

import java.util.Arrays;

/** A growable {@code long[]}. */
public final class GrowableLongs {
    private long[] a = new long[1024];
    private int n;

    public void add(long v) {
        if (n == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[n++] = v;
    }

    public int size() {
        return n;
    }

    public long[] toArray() {
        return Arrays.copyOf(a, n);
    }
}
