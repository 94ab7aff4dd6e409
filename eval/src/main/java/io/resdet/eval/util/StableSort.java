package io.resdet.eval.util;

/**
 * Stable sort of index arrays by descending score, the order numpy's {@code argsort(-s,
 * kind='mergesort')} gives. Compares with {@code <}/{@code >} so that -0.0 and 0.0 tie as in numpy.
 */
public final class StableSort {
    private StableSort() {
    }

    /** Sorts {@code idx[from, to)} by descending {@code score[idx[i]]}, keeping ties in place order. */
    public static void byScoreDesc(int[] idx, int from, int to, double[] score) {
        int n = to - from;
        if (n < 2) return;
        if (n <= 24) {
            insertion(idx, from, to, score);
            return;
        }
        int[] tmp = new int[n];
        mergeSort(idx, tmp, from, to, score);
    }

    private static void insertion(int[] idx, int from, int to, double[] score) {
        for (int i = from + 1; i < to; i++) {
            int v = idx[i];
            double s = score[v];
            int j = i - 1;
            while (j >= from && score[idx[j]] < s) {
                idx[j + 1] = idx[j];
                j--;
            }
            idx[j + 1] = v;
        }
    }

    private static void mergeSort(int[] idx, int[] tmp, int from, int to, double[] score) {
        if (to - from <= 24) {
            insertion(idx, from, to, score);
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(idx, tmp, from, mid, score);
        mergeSort(idx, tmp, mid, to, score);
        if (!(score[idx[mid - 1]] < score[idx[mid]])) return;
        System.arraycopy(idx, from, tmp, 0, mid - from);
        int i = 0, iEnd = mid - from, j = mid, k = from;
        while (i < iEnd && j < to) {
            // the left run wins ties: that is what keeps the sort stable
            if (score[idx[j]] > score[tmp[i]]) idx[k++] = idx[j++];
            else idx[k++] = tmp[i++];
        }
        while (i < iEnd) idx[k++] = tmp[i++];
    }
}
