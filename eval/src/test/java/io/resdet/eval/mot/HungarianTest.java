package io.resdet.eval.mot;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Hungarian solver against brute force over every assignment of small random matrices, square and not. */
class HungarianTest {
    @Test
    void matchesBruteForceOnRandomMatrices() {
        Random r = new Random(42);
        for (int trial = 0; trial < 3000; trial++) {
            int n = 1 + r.nextInt(6), m = 1 + r.nextInt(6);
            double[][] c = new double[n][m];
            for (double[] row : c) {
                // Integer costs in a small range make many ties; real ones test the arithmetic.
                for (int j = 0; j < m; j++) row[j] = trial % 2 == 0 ? r.nextInt(5) : r.nextDouble() * 100 - 50;
            }
            int[] a = Hungarian.solve(c);
            assertEquals(n, a.length);
            boolean[] used = new boolean[m];
            int assigned = 0;
            for (int j : a) {
                if (j < 0) continue;
                assertTrue(!used[j], "column used twice");
                used[j] = true;
                assigned++;
            }
            assertEquals(Math.min(n, m), assigned, "every row, or every column, is assigned");
            assertEquals(brute(c, 0, new boolean[m], 0), Hungarian.total(c, a), 1e-9, "trial " + trial);
        }
    }

    @Test
    void knownCaseAndEdges() {
        // The greedy choice (row 0 → col 0, cost 1) forces row 1 onto cost 10: 11. The optimum is 2 + 3 = 5.
        assertArrayEquals(new int[] {1, 0}, Hungarian.solve(new double[][] {{1, 2}, {3, 10}}));
        assertArrayEquals(new int[0], Hungarian.solve(new double[0][0]));
        assertArrayEquals(new int[] {-1, -1}, Hungarian.solve(new double[2][0]));
        // Three rows, one column: the cheapest row gets it.
        assertArrayEquals(new int[] {-1, 0, -1}, Hungarian.solve(new double[][] {{5}, {1}, {3}}));
    }

    /** Least total over all ways to give min(n, m) rows distinct columns. */
    private static double brute(double[][] c, int row, boolean[] used, int assigned) {
        int n = c.length, m = c[0].length;
        if (row == n) return assigned == Math.min(n, m) ? 0 : Double.POSITIVE_INFINITY;
        double best = Double.POSITIVE_INFINITY;
        if (n - row - 1 >= Math.min(n, m) - assigned) best = brute(c, row + 1, used, assigned); // leave this row out
        for (int j = 0; j < m; j++) {
            if (used[j]) continue;
            used[j] = true;
            best = Math.min(best, c[row][j] + brute(c, row + 1, used, assigned + 1));
            used[j] = false;
        }
        return best;
    }
}
