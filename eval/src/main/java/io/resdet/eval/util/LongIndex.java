package io.resdet.eval.util;

import java.util.Arrays;

/**
 * Maps a sorted set of distinct long ids to their position, with open addressing so that the
 * half a million lookups of a large results file do not box.
 */
public final class LongIndex {
    private final long[] keys;
    private final int[] vals;
    private final boolean[] used;
    private final int mask;

    /** @param sortedIds distinct ids; {@link #indexOf} returns the position in this array */
    public LongIndex(long[] sortedIds) {
        int cap = Integer.highestOneBit(Math.max(4, sortedIds.length * 2 + 1)) << 1;
        keys = new long[cap];
        vals = new int[cap];
        used = new boolean[cap];
        mask = cap - 1;
        for (int i = 0; i < sortedIds.length; i++) {
            int s = slot(sortedIds[i]);
            while (used[s] && keys[s] != sortedIds[i]) s = (s + 1) & mask;
            used[s] = true;
            keys[s] = sortedIds[i];
            vals[s] = i;
        }
    }

    /** Position of {@code id}, or -1 when absent. */
    public int indexOf(long id) {
        int s = slot(id);
        while (used[s]) {
            if (keys[s] == id) return vals[s];
            s = (s + 1) & mask;
        }
        return -1;
    }

    private int slot(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** Sorted copy of {@code ids}; throws {@link IllegalArgumentException} naming a duplicate id. */
    public static long[] sortedDistinct(long[] ids) {
        long[] s = ids.clone();
        Arrays.sort(s);
        for (int i = 1; i < s.length; i++) {
            if (s[i] == s[i - 1]) throw new IllegalArgumentException(Long.toString(s[i]));
        }
        return s;
    }
}
