package io.resdet.eval.mot;

import java.util.Arrays;

/**
 * Minimum-cost assignment (the Hungarian method with potentials, O(n²m) for n ≤ m): each row gets a distinct
 * column and, among all such assignments of min(rows, cols) pairs, the total cost is the least. Costs must be
 * finite. Deterministic: the same matrix gives the same assignment. Used by the tracker's association and by the
 * MOT metrics (CLEAR per-frame matching, IDF1's trajectory matching, HOTA's per-frame matching).
 */
public final class Hungarian {
    private Hungarian() {}

    /** Column assigned to each row, or -1 where the row has none (only when rows > columns). */
    public static int[] solve(double[][] cost) {
        int n = cost.length;
        if (n == 0) return new int[0];
        int m = cost[0].length;
        for (double[] row : cost) {
            if (row.length != m) throw new IllegalArgumentException("ragged cost matrix");
            for (double c : row) if (!Double.isFinite(c)) throw new IllegalArgumentException("cost " + c + " is not finite");
        }
        if (m == 0) {
            int[] none = new int[n];
            Arrays.fill(none, -1);
            return none;
        }
        if (n <= m) return rowsToCols(cost, n, m, false);
        // More rows than columns: solve the transpose and invert.
        int[] colToRow = rowsToCols(cost, m, n, true);
        int[] out = new int[n];
        Arrays.fill(out, -1);
        for (int j = 0; j < m; j++) out[colToRow[j]] = j;
        return out;
    }

    /** Total cost of an assignment from {@link #solve}. */
    public static double total(double[][] cost, int[] assignment) {
        double s = 0;
        for (int i = 0; i < assignment.length; i++) if (assignment[i] >= 0) s += cost[i][assignment[i]];
        return s;
    }

    /**
     * Rows 1..n, columns 1..m (n ≤ m), shortest augmenting paths with dual potentials u, v; {@code way} holds the
     * alternating path. With {@code transposed}, entry (i, j) is read as cost[j][i].
     */
    private static int[] rowsToCols(double[][] cost, int n, int m, boolean transposed) {
        double[] u = new double[n + 1], v = new double[m + 1];
        int[] p = new int[m + 1], way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = p[j0], j1 = -1;
                double delta = Double.POSITIVE_INFINITY;
                for (int j = 1; j <= m; j++) {
                    if (used[j]) continue;
                    double c = transposed ? cost[j - 1][i0 - 1] : cost[i0 - 1][j - 1];
                    double cur = c - u[i0] - v[j];
                    if (cur < minv[j]) {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta) {
                        delta = minv[j];
                        j1 = j;
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        Arrays.fill(rowToCol, -1);
        for (int j = 1; j <= m; j++) if (p[j] != 0) rowToCol[p[j] - 1] = j - 1;
        return rowToCol;
    }
}
