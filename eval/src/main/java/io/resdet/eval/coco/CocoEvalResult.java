package io.resdet.eval.coco;

import io.resdet.eval.util.NumpySum;
import io.resdet.eval.util.PyFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code accumulate()} arrays of COCOeval and what {@code summarize()} derives from them.
 * {@code precision[T,R,K,A,M]}, {@code recall[T,K,A,M]} and {@code scores[T,R,K,A,M]} hold −1
 * where pycocotools leaves −1 (a category with no non-ignored GT in that area range).
 */
public final class CocoEvalResult {
    private final Params p;
    private final long[] categoryIds;
    private final String[] categoryNames;
    private final int T, R, K, A, M;
    private final double[] precision, recall, scores;

    CocoEvalResult(Params p, long[] categoryIds, String[] categoryNames) {
        this.p = p;
        this.categoryIds = categoryIds;
        this.categoryNames = categoryNames;
        T = p.iouThrs.length;
        R = p.recThrs.length;
        K = categoryIds.length;
        A = p.areaRanges.length;
        M = p.maxDets.length;
        precision = new double[T * R * K * A * M];
        scores = new double[precision.length];
        recall = new double[T * K * A * M];
        Arrays.fill(precision, -1);
        Arrays.fill(scores, -1);
        Arrays.fill(recall, -1);
    }

    void setPrecision(int t, int r, int k, int a, int m, double value, double score) {
        int i = (((t * R + r) * K + k) * A + a) * M + m;
        precision[i] = value;
        scores[i] = score;
    }

    void setRecall(int t, int k, int a, int m, double value) {
        recall[((t * K + k) * A + a) * M + m] = value;
    }

    /** Copies every entry of category {@code k} from maxDets index {@code from} to {@code to}. */
    void copyMaxDets(int k, int from, int to) {
        for (int t = 0; t < T; t++) {
            for (int a = 0; a < A; a++) {
                recall[((t * K + k) * A + a) * M + to] = recall[((t * K + k) * A + a) * M + from];
                for (int r = 0; r < R; r++) {
                    int base = (((t * R + r) * K + k) * A + a) * M;
                    precision[base + to] = precision[base + from];
                    scores[base + to] = scores[base + from];
                }
            }
        }
    }

    public Params params() {
        return p;
    }

    public double precision(int t, int r, int k, int a, int m) {
        return precision[(((t * R + r) * K + k) * A + a) * M + m];
    }

    public double score(int t, int r, int k, int a, int m) {
        return scores[(((t * R + r) * K + k) * A + a) * M + m];
    }

    public double recall(int t, int k, int a, int m) {
        return recall[((t * K + k) * A + a) * M + m];
    }

    public long[] categoryIds() {
        return categoryIds.clone();
    }

    public String[] categoryNames() {
        return categoryNames.clone();
    }

    /** The 12 numbers of {@code COCOeval.stats}, in pycocotools' order. */
    public double[] stats() {
        double[] s = new double[12];
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < 12; i++) s[i] = line(i, ignored);
        return s;
    }

    /** The 12 lines {@code summarize()} prints, formatted exactly as pycocotools does. */
    public List<String> summaryLines() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) line(i, out);
        return out;
    }

    // ap, iouThr (NaN = all), area label, maxDets: the table of pycocotools' _summarizeDets
    private double line(int i, List<String> out) {
        int[] md = p.maxDets;
        return switch (i) {
            case 0 -> summarize(true, Double.NaN, "all", 100, out);
            case 1 -> summarize(true, .5, "all", md[2], out);
            case 2 -> summarize(true, .75, "all", md[2], out);
            case 3 -> summarize(true, Double.NaN, "small", md[2], out);
            case 4 -> summarize(true, Double.NaN, "medium", md[2], out);
            case 5 -> summarize(true, Double.NaN, "large", md[2], out);
            case 6 -> summarize(false, Double.NaN, "all", md[0], out);
            case 7 -> summarize(false, Double.NaN, "all", md[1], out);
            case 8 -> summarize(false, Double.NaN, "all", md[2], out);
            case 9 -> summarize(false, Double.NaN, "small", md[2], out);
            case 10 -> summarize(false, Double.NaN, "medium", md[2], out);
            default -> summarize(false, Double.NaN, "large", md[2], out);
        };
    }

    private double summarize(boolean ap, double iouThr, String area, int maxDets, List<String> out) {
        int a = indexOf(p.areaLabels, area);
        int m = -1;
        for (int j = 0; j < M; j++) if (p.maxDets[j] == maxDets) m = j;
        double[] buf = new double[ap ? T * R * K : T * K];
        int n = 0;
        if (a >= 0 && m >= 0) {
            // numpy flattens s[s > -1] in C order: t, then r, then k
            for (int t = 0; t < T; t++) {
                // pycocotools selects the threshold with ==, so 0.5/0.75 must be exactly in the list
                if (!Double.isNaN(iouThr) && p.iouThrs[t] != iouThr) continue;
                if (ap) {
                    for (int r = 0; r < R; r++) {
                        for (int k = 0; k < K; k++) {
                            double v = precision(t, r, k, a, m);
                            if (v > -1) buf[n++] = v;
                        }
                    }
                } else {
                    for (int k = 0; k < K; k++) {
                        double v = recall(t, k, a, m);
                        if (v > -1) buf[n++] = v;
                    }
                }
            }
        }
        double mean = n == 0 ? -1 : NumpySum.mean(buf, n);
        String iouStr = Double.isNaN(iouThr)
                ? PyFormat.fixed(p.iouThrs[0], 2) + ":" + PyFormat.fixed(p.iouThrs[T - 1], 2)
                : PyFormat.fixed(iouThr, 2);
        out.add(String.format(" %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %s",
                ap ? "Average Precision" : "Average Recall", ap ? "(AP)" : "(AR)", iouStr, area, maxDets,
                PyFormat.fixed(mean, 3)));
        return mean;
    }

    /** Per-category AP at area {@code all} and the largest maxDets: mean of precision over T×R without −1; −1 without GT. */
    public double[] perCategoryAp() {
        return perCategoryPrecision(-1);
    }

    /** Per-category AP at one IoU threshold (index into the thresholds); −1 without GT. */
    public double[] perCategoryPrecision(int iouIndex) {
        int a = allArea(), m = M - 1;
        double[] out = new double[K];
        double[] buf = new double[T * R];
        for (int k = 0; k < K; k++) {
            int n = 0;
            for (int t = 0; t < T; t++) {
                if (iouIndex >= 0 && t != iouIndex) continue;
                for (int r = 0; r < R; r++) {
                    double v = precision(t, r, k, a, m);
                    if (v > -1) buf[n++] = v;
                }
            }
            out[k] = n == 0 ? -1 : NumpySum.mean(buf, n);
        }
        return out;
    }

    /** Per-category AP at IoU 0.5 (−1 when 0.5 is not a threshold or there is no GT). */
    public double[] perCategoryAp50() {
        int t = indexOfThr(0.5);
        return t < 0 ? filled(-1) : perCategoryPrecision(t);
    }

    /** Per-category AP at IoU 0.75. */
    public double[] perCategoryAp75() {
        int t = indexOfThr(0.75);
        return t < 0 ? filled(-1) : perCategoryPrecision(t);
    }

    /** Per-category recall averaged over IoU thresholds, area all, largest maxDets; −1 without GT. */
    public double[] perCategoryAr() {
        int a = allArea(), m = M - 1;
        double[] out = new double[K];
        double[] buf = new double[T];
        for (int k = 0; k < K; k++) {
            int n = 0;
            for (int t = 0; t < T; t++) {
                double v = recall(t, k, a, m);
                if (v > -1) buf[n++] = v;
            }
            out[k] = n == 0 ? -1 : NumpySum.mean(buf, n);
        }
        return out;
    }

    /**
     * The PR curve averaged over categories (entries −1 left out) at area all and the largest
     * maxDets; {@code iouIndex < 0} averages over all thresholds. Recall axis = recall thresholds.
     */
    public double[] meanPrecisionCurve(int iouIndex, int k) {
        int a = allArea(), m = M - 1;
        double[] out = new double[R];
        for (int r = 0; r < R; r++) {
            double sum = 0;
            long n = 0;
            for (int t = 0; t < T; t++) {
                if (iouIndex >= 0 && t != iouIndex) continue;
                for (int kk = 0; kk < K; kk++) {
                    if (k >= 0 && kk != k) continue;
                    double v = precision(t, r, kk, a, m);
                    if (v > -1) {
                        sum += v;
                        n++;
                    }
                }
            }
            out[r] = n == 0 ? -1 : sum / n;
        }
        return out;
    }

    /** Index of an IoU threshold by exact value, −1 when absent. */
    public int indexOfThr(double thr) {
        for (int t = 0; t < T; t++) if (p.iouThrs[t] == thr) return t;
        return -1;
    }

    private double[] filled(double v) {
        double[] out = new double[K];
        Arrays.fill(out, v);
        return out;
    }

    private int allArea() {
        int a = indexOf(p.areaLabels, "all");
        return a < 0 ? 0 : a;
    }

    private static int indexOf(String[] a, String s) {
        for (int i = 0; i < a.length; i++) if (a[i].equals(s)) return i;
        return -1;
    }
}
