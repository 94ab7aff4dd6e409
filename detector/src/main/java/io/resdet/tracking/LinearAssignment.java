package io.resdet.tracking;

import io.resdet.eval.mot.Hungarian;

import java.util.ArrayList;
import java.util.List;

/**
 * ByteTrack's {@code linear_assignment}: {@code lap.lapjv(cost, extend_cost=True, cost_limit=thresh)}. The n×m cost
 * matrix is extended to (n+m)×(n+m) where leaving a row or a column unmatched costs thresh/2 (so a pair is worth
 * matching only when its cost is below thresh), then solved exactly; pairs above the threshold are dropped.
 */
final class LinearAssignment {
    record Result(List<int[]> matches, List<Integer> unmatchedRows, List<Integer> unmatchedCols) {}

    private LinearAssignment() {}

    static Result solve(double[][] cost, int rows, int cols, double thresh) {
        List<int[]> matches = new ArrayList<>();
        List<Integer> ur = new ArrayList<>(), uc = new ArrayList<>();
        if (rows == 0 || cols == 0) {
            for (int i = 0; i < rows; i++) ur.add(i);
            for (int j = 0; j < cols; j++) uc.add(j);
            return new Result(matches, ur, uc);
        }
        int n = rows + cols;
        double[][] ext = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i < rows && j < cols) ext[i][j] = cost[i][j];
                else if (i >= rows && j >= cols) ext[i][j] = 0;
                else ext[i][j] = thresh / 2;
            }
        }
        int[] a = Hungarian.solve(ext);
        boolean[] colUsed = new boolean[cols];
        for (int i = 0; i < rows; i++) {
            int j = a[i];
            if (j >= 0 && j < cols && cost[i][j] <= thresh) {
                matches.add(new int[] {i, j});
                colUsed[j] = true;
            } else {
                ur.add(i);
            }
        }
        for (int j = 0; j < cols; j++) if (!colUsed[j]) uc.add(j);
        return new Result(matches, ur, uc);
    }
}
