package io.resdet.tracking;

/**
 * ByteTrack's (and DeepSORT's) Kalman filter for boxes in image space: state {@code (cx, cy, a, h, vcx, vcy, va, vh)}
 * — box centre, aspect ratio w/h, height and their velocities — with a constant-velocity model (dt = 1 frame) and
 * the measurement {@code (cx, cy, a, h)}. Noise scales with the box height: {@value #STD_POSITION} of it for
 * positions, {@value #STD_VELOCITY} for velocities; the aspect ratio gets fixed small noise, as in ByteTrack's
 * {@code kalman_filter.py}.
 */
public final class KalmanFilter {
    static final double STD_POSITION = 1.0 / 20, STD_VELOCITY = 1.0 / 160;

    /** Mean (8) and covariance (8×8) of one track's state. */
    public record State(double[] mean, double[][] cov) {}

    private KalmanFilter() {}

    /** A new track from an unassociated measurement {@code (cx, cy, a, h)}: zero velocity, wide uncertainty. */
    public static State initiate(double[] xyah) {
        double[] mean = new double[8];
        System.arraycopy(xyah, 0, mean, 0, 4);
        double h = xyah[3];
        double[] std = {2 * STD_POSITION * h, 2 * STD_POSITION * h, 1e-2, 2 * STD_POSITION * h,
                10 * STD_VELOCITY * h, 10 * STD_VELOCITY * h, 1e-5, 10 * STD_VELOCITY * h};
        double[][] cov = new double[8][8];
        for (int i = 0; i < 8; i++) cov[i][i] = std[i] * std[i];
        return new State(mean, cov);
    }

    /** One step ahead: x' = F x, P' = F P Fᵀ + Q, with Q from the height before the step. */
    public static State predict(State s) {
        double[] m = s.mean();
        double h = m[3];
        double[] std = {STD_POSITION * h, STD_POSITION * h, 1e-2, STD_POSITION * h,
                STD_VELOCITY * h, STD_VELOCITY * h, 1e-5, STD_VELOCITY * h};
        double[] mean = new double[8];
        for (int i = 0; i < 4; i++) {
            mean[i] = m[i] + m[i + 4];
            mean[i + 4] = m[i + 4];
        }
        double[][] p = s.cov();
        // F P: row i (< 4) = P[i] + P[i+4]; rows ≥ 4 unchanged.
        double[][] fp = new double[8][8];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) fp[i][j] = i < 4 ? p[i][j] + p[i + 4][j] : p[i][j];
        }
        // (F P) Fᵀ: column j (< 4) = col j + col j+4.
        double[][] cov = new double[8][8];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) cov[i][j] = j < 4 ? fp[i][j] + fp[i][j + 4] : fp[i][j];
        }
        for (int i = 0; i < 8; i++) cov[i][i] += std[i] * std[i];
        return new State(mean, cov);
    }

    /** The correction with measurement {@code (cx, cy, a, h)}: K = P Hᵀ S⁻¹, x' = x + K (z - H x), P' = P - K S Kᵀ. */
    public static State update(State s, double[] xyah) {
        double[] m = s.mean();
        double[][] p = s.cov();
        double h = m[3];
        double[] r = {STD_POSITION * h, STD_POSITION * h, 1e-1, STD_POSITION * h};
        double[][] sMat = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) sMat[i][j] = p[i][j];
            sMat[i][i] += r[i] * r[i];
        }
        double[][] sInv = invert4(sMat);
        // K (8×4) = P[:, :4] S⁻¹
        double[][] k = new double[8][4];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 4; j++) {
                double acc = 0;
                for (int t = 0; t < 4; t++) acc += p[i][t] * sInv[t][j];
                k[i][j] = acc;
            }
        }
        double[] innovation = new double[4];
        for (int i = 0; i < 4; i++) innovation[i] = xyah[i] - m[i];
        double[] mean = new double[8];
        for (int i = 0; i < 8; i++) {
            double acc = m[i];
            for (int j = 0; j < 4; j++) acc += k[i][j] * innovation[j];
            mean[i] = acc;
        }
        // K S Kᵀ = K (P[:4, :]) since K S = P[:, :4] and S is symmetric: P' = P - K P[:4, :].
        double[][] cov = new double[8][8];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double acc = 0;
                for (int t = 0; t < 4; t++) acc += k[i][t] * p[t][j];
                cov[i][j] = p[i][j] - acc;
            }
        }
        return new State(mean, cov);
    }

    /** Gauss-Jordan with partial pivoting; S is symmetric positive definite here. */
    static double[][] invert4(double[][] a) {
        int n = 4;
        double[][] w = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, w[i], 0, n);
            w[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(w[r][c]) > Math.abs(w[piv][c])) piv = r;
            double[] t = w[c];
            w[c] = w[piv];
            w[piv] = t;
            double d = w[c][c];
            if (d == 0) throw new ArithmeticException("singular innovation covariance");
            for (int j = 0; j < 2 * n; j++) w[c][j] /= d;
            for (int r = 0; r < n; r++) {
                if (r == c || w[r][c] == 0) continue;
                double f = w[r][c];
                for (int j = 0; j < 2 * n; j++) w[r][j] -= f * w[c][j];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(w[i], n, inv[i], 0, n);
        return inv;
    }

    /** {@code (x1, y1, x2, y2)} to {@code (cx, cy, w/h, h)}. */
    public static double[] xyah(double x1, double y1, double x2, double y2) {
        double w = x2 - x1, h = y2 - y1;
        return new double[] {(x1 + x2) / 2, (y1 + y2) / 2, w / h, h};
    }

    /** The state's box as {@code (x1, y1, x2, y2)}. */
    public static double[] box(double[] mean) {
        double h = mean[3], w = mean[2] * h;
        return new double[] {mean[0] - w / 2, mean[1] - h / 2, mean[0] + w / 2, mean[1] + h / 2};
    }
}
