package io.resdet.detector;

import ai.djl.ndarray.NDArray;

/**
 * Compares two score-sorted box lists the way parity allows: every expected box must have a partner
 * (same label, every coordinate within {@code tol} px, score within {@code scoreTol}), and the score
 * sequences must agree position by position. Near-equal scores (closer than rounding) may swap places,
 * which is the only reordering this permits.
 */
final class BoxSetMatch {
    final int expected;
    final int matched;
    final float maxBoxErr;
    final float maxScoreSeqErr;

    private BoxSetMatch(int expected, int matched, float maxBoxErr, float maxScoreSeqErr) {
        this.expected = expected;
        this.matched = matched;
        this.maxBoxErr = maxBoxErr;
        this.maxScoreSeqErr = maxScoreSeqErr;
    }

    static BoxSetMatch of(NDArray wantBoxes, NDArray wantScores, long[] wantLabels, NDArray gotBoxes, NDArray gotScores,
                          long[] gotLabels, float tol, float scoreTol) {
        float[] wb = wantBoxes.toFloatArray(), gb = gotBoxes.toFloatArray();
        float[] ws = wantScores.toFloatArray(), gs = gotScores.toFloatArray();
        int n = ws.length, k = gs.length;
        boolean[] used = new boolean[k];
        int matched = 0;
        float maxErr = 0;
        for (int i = 0; i < n; i++) {
            int best = -1;
            float bestErr = Float.MAX_VALUE;
            // Partners sit near the same rank; a window keeps this linear.
            for (int j = Math.max(0, i - 50); j < Math.min(k, i + 50); j++) {
                if (used[j] || Math.abs(ws[i] - gs[j]) > scoreTol) continue;
                if (wantLabels != null && wantLabels[i] != gotLabels[j]) continue;
                float e = 0;
                for (int c = 0; c < 4; c++) e = Math.max(e, Math.abs(wb[4 * i + c] - gb[4 * j + c]));
                if (e < bestErr) {
                    bestErr = e;
                    best = j;
                }
            }
            if (best >= 0 && bestErr < tol) {
                used[best] = true;
                matched++;
                maxErr = Math.max(maxErr, bestErr);
            }
        }
        float seq = 0;
        for (int i = 0; i < Math.min(n, k); i++) seq = Math.max(seq, Math.abs(ws[i] - gs[i]));
        return new BoxSetMatch(n, matched, maxErr, seq);
    }

    @Override
    public String toString() {
        return matched + "/" + expected + " matched, max box error " + maxBoxErr + " px, max score error along the ranking " + maxScoreSeqErr;
    }
}
