package io.resdet.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The verdict of a training oracle: resdet's per-iteration losses against PyTorch's on the same batches from the same
 * weights, judged against what float noise alone does inside PyTorch.
 *
 * <p>Why this tolerance. Two frameworks never round alike (other convolution algorithms, other summation orders), and
 * SGD at rate 0.1 amplifies a difference of one rounding unit by one to two orders of magnitude per iteration
 * (measured on ResNet-20: losses equal to 1e-7 for the first iterations, apart by 1e-2 five iterations later), so that
 * after a handful of iterations the two runs are as far apart as two runs of one framework whose weights differed at
 * rounding scale:
 * two samples of the same training process, whose losses differ by what the data order and the rate make of a tiny
 * difference. That spread is measured, not assumed: PyTorch also trains from resdet's weights perturbed by a relative
 * {@code 1e-6}, {@code K} times with different perturbations. resdet tracks PyTorch when
 * <ol>
 *   <li>the first iteration, on identical weights and batch, agrees to {@value #FIRST_STEP} relative (only rounding
 *       differs there), and</li>
 *   <li>in every window of iterations the mean loss differs from PyTorch's by at most {@value #NOISE_FACTOR} times the
 *       largest difference a perturbed PyTorch run showed in that window or its two neighbours, or {@value #FLOOR} nats
 *       where that is larger. resdet's gap and a perturbed run's gap are then draws of one distribution; against the
 *       largest of the 3K noise draws around it, three times as much happens by chance in well under 1% of windows
 *       for K = 2 (0.3% for six independent half-normal draws; neighbouring windows are correlated, so fewer).</li>
 * </ol>
 * A systematic difference — a network that learns in PyTorch and stays at chance in resdet, another rate or decay —
 * opens a gap that persists window after window and grows with the run, while the noise stays put.
 */
public record OracleComparison(double[] resdet, double[] torch, double[][] perturbed, int window) {
    /** The smallest window tolerance, in nats of mean cross-entropy. */
    public static final double FLOOR = 0.05;
    /** How many times the float-noise gap a window may differ. */
    public static final double NOISE_FACTOR = 3;
    /** The first iteration's relative tolerance. */
    public static final double FIRST_STEP = 1e-4;

    public OracleComparison {
        if (resdet.length != torch.length || resdet.length == 0 || perturbed.length == 0) {
            throw new IllegalArgumentException("loss curves of different lengths: " + resdet.length + ", " + torch.length);
        }
        for (double[] p : perturbed) {
            if (p.length != torch.length) throw new IllegalArgumentException("a perturbed curve of " + p.length + " iterations for " + torch.length);
        }
        if (window < 1) throw new IllegalArgumentException("window must be at least 1");
    }

    /** Window means of a curve (the last window may be shorter). */
    public static double[] windows(double[] v, int w) {
        int n = (v.length + w - 1) / w;
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            int from = k * w, to = Math.min(v.length, from + w);
            double s = 0;
            for (int i = from; i < to; i++) s += v[i];
            out[k] = s / (to - from);
        }
        return out;
    }

    public double firstStepGap() {
        return Math.abs(resdet[0] - torch[0]) / Math.max(1, Math.abs(torch[0]));
    }

    /** {@code |resdet − torch|} of each window's mean loss. */
    public double[] gaps() {
        return absDiff(windows(resdet, window), windows(torch, window));
    }

    /** The largest {@code |perturbed torch − torch|} of each window's mean loss over the perturbed runs: float noise alone. */
    public double[] noise() {
        double[] t = windows(torch, window), out = new double[t.length];
        for (double[] p : perturbed) {
            double[] d = absDiff(windows(p, window), t);
            for (int k = 0; k < out.length; k++) out[k] = Math.max(out[k], d[k]);
        }
        return out;
    }

    /** Each window's tolerance: {@code max(FLOOR, NOISE_FACTOR × the noise of it and its neighbours)}. */
    public double[] tolerances() {
        double[] n = noise(), out = new double[n.length];
        for (int k = 0; k < n.length; k++) {
            double local = n[k];
            if (k > 0) local = Math.max(local, n[k - 1]);
            if (k + 1 < n.length) local = Math.max(local, n[k + 1]);
            out[k] = Math.max(FLOOR, NOISE_FACTOR * local);
        }
        return out;
    }

    /** The window whose gap is the largest share of its tolerance. */
    public int worstWindow() {
        double[] g = gaps(), t = tolerances();
        int at = 0;
        for (int k = 1; k < g.length; k++) if (g[k] / t[k] > g[at] / t[at] || Double.isNaN(g[k])) at = k;
        return at;
    }

    /** The worst window's gap over its tolerance: at most 1 when resdet tracks. */
    public double worstRatio() {
        int k = worstWindow();
        return gaps()[k] / tolerances()[k];
    }

    public boolean tracks() {
        return firstStepGap() <= FIRST_STEP && worstRatio() <= 1 && allFinite(resdet);
    }

    /** One line: what was compared and why it passes or fails. */
    public String verdict() {
        List<String> why = new ArrayList<>();
        if (!allFinite(resdet)) why.add("resdet's loss is not finite");
        if (firstStepGap() > FIRST_STEP) {
            why.add(String.format(Locale.ROOT, "the first iteration differs by %.2g relative (same weights and batch: at most %.0g)",
                    firstStepGap(), FIRST_STEP));
        }
        int k = worstWindow();
        String worst = String.format(Locale.ROOT, "window %d (iterations %d-%d) differs by %.4f nats, tolerance %.4f (float noise there %.4f)",
                k, k * window, Math.min(resdet.length, (k + 1) * window) - 1, gaps()[k], tolerances()[k], noise()[k]);
        if (!(worstRatio() <= 1)) why.add(worst);
        String head = String.format(Locale.ROOT, "worst %s; first iteration %.2g relative", worst, firstStepGap());
        return why.isEmpty() ? "TRACKS: " + head : "DOES NOT TRACK: " + String.join("; ", why);
    }

    private static double[] absDiff(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = Math.abs(a[i] - b[i]);
        return out;
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) if (!Double.isFinite(x)) return false;
        return true;
    }

    /**
     * The spread of each initial tensor in resdet against the paper's initialisation in PyTorch (independent draws):
     * the ratio of two sample standard deviations of {@code n} values each has a standard error of about
     * {@code 1/√n}, so a ratio further than {@code 5/√n} from 1 is a different distribution, not chance. Constant
     * tensors (BatchNorm's 1 and 0) must match exactly. Returns the tensors that differ, one phrase each.
     */
    public static List<String> initDifferences(Map<String, double[]> resdetStats, Map<String, Double> torchStd,
                                               Map<String, Double> torchMean) {
        List<String> out = new ArrayList<>();
        torchStd.forEach((name, sT) -> {
            double[] r = resdetStats.get(name);
            if (r == null) {
                out.add(name + " missing in resdet");
                return;
            }
            double sR = r[1], n = r[2];
            if (sT == 0) {
                if (sR != 0 || r[0] != torchMean.get(name)) {
                    out.add(String.format(Locale.ROOT, "%s constant %.4g in PyTorch, mean %.4g std %.4g in resdet", name,
                            torchMean.get(name), r[0], sR));
                }
            } else if (Math.abs(sR / sT - 1) > 5 / Math.sqrt(n)) {
                out.add(String.format(Locale.ROOT, "%s std %.4g in resdet vs %.4g (%.2fx)", name, sR, sT, sR / sT));
            }
        });
        return out;
    }
}
