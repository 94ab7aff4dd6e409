package io.resdet.eval.coco;

import io.resdet.eval.ProgressListener;
import io.resdet.eval.util.StableSort;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * pycocotools' {@code COCOeval} for {@code iouType='bbox'}: {@code evaluate()} and
 * {@code accumulate()} in one pass per category. Categories are independent, so they run in
 * parallel; every number is computed in the same order as in pycocotools, so results do not depend
 * on the number of threads.
 */
public final class CocoEval {
    static final byte FP = 0, TP = 1, IGNORED = 2;
    /** numpy's {@code np.spacing(1)}: keeps precision finite when there is no detection yet. */
    static final double EPS = 2.220446049250313e-16;

    private CocoEval() {
    }

    /**
     * Scores a results file against a GT file. This is the seam for {@code eval run}: a detector
     * writes its boxes with {@link CocoResultsWriter}, then calls this.
     */
    public static CocoEvalResult evaluateFiles(java.nio.file.Path gtFile, java.nio.file.Path resultsFile, Params p, ProgressListener progress) {
        CocoFiles f = CocoFiles.read(gtFile, resultsFile);
        return evaluate(f.gt(), f.dt(), p, progress);
    }

    public static CocoEvalResult evaluate(CocoGroundTruth gt, CocoDetections dt) {
        return evaluate(gt, dt, Params.defaults(), ProgressListener.NONE);
    }

    /** Evaluates all categories of {@code gt}; {@code progress} counts finished categories. */
    public static CocoEvalResult evaluate(CocoGroundTruth gt, CocoDetections dt, Params p, ProgressListener progress) {
        int K = gt.numCategories();
        boolean[] evaluated = evaluatedImages(gt, p);
        int[][] gtByCat = groupByCategoryThenImage(gt.n, gt.annCategory, gt.annImage, K, evaluated);
        int[][] dtByCat = groupByCategoryThenImage(dt.n, dt.category, dt.image, K, evaluated);
        CocoEvalResult r = new CocoEvalResult(p, gt.categoryIds, gt.categoryNames);
        AtomicInteger done = new AtomicInteger();
        progress.update("categories", 0, K);
        IntStream.range(0, K).parallel().forEach(k -> {
            new CategoryEval(gt, dt, p, k, gtByCat[k], dtByCat[k]).run(r);
            progress.update("categories", done.incrementAndGet(), K);
        });
        return r;
    }

    /**
     * Which GT images {@code p.imgIds} selects, by index; null for all. Leaving an image's GT and detections out
     * is all pycocotools' restriction does: images without either contribute nothing to any number.
     */
    static boolean[] evaluatedImages(CocoGroundTruth gt, Params p) {
        if (p.imgIds == null) return null;
        boolean[] keep = new boolean[gt.numImages()];
        for (long id : p.imgIds) {
            int i = gt.imageIndexOf(id);
            if (i >= 0) keep[i] = true;
        }
        return keep;
    }

    /** Row indices per category, each sorted by image and then by file order; rows of images not kept are left out. */
    static int[][] groupByCategoryThenImage(int n, int[] category, int[] image, int K, boolean[] keepImage) {
        int[] count = new int[K];
        for (int i = 0; i < n; i++) if (keepImage == null || keepImage[image[i]]) count[category[i]]++;
        long[][] keys = new long[K][];
        for (int k = 0; k < K; k++) keys[k] = new long[count[k]];
        int[] fill = new int[K];
        for (int i = 0; i < n; i++) {
            if (keepImage != null && !keepImage[image[i]]) continue;
            int k = category[i];
            keys[k][fill[k]++] = ((long) image[i] << 32) | i;
        }
        int[][] out = new int[K][];
        for (int k = 0; k < K; k++) {
            long[] kk = keys[k];
            Arrays.sort(kk);
            int[] rows = new int[kk.length];
            for (int j = 0; j < kk.length; j++) rows[j] = (int) kk[j];
            out[k] = rows;
            keys[k] = null;
        }
        return out;
    }

    /** evaluateImg for every image of one category, then accumulate for that category. */
    private static final class CategoryEval {
        final CocoGroundTruth gt;
        final CocoDetections dt;
        final Params p;
        final int k;
        final int[] gRows, dRows;
        final int T, A, maxDet;

        // Per detection kept (top maxDet per image), in image order then score order: what
        // pycocotools' concatenation of the per-image evalImgs gives.
        double[] score;
        int[] rank;
        byte[] status; // [A][T][nKept]
        int nKept;
        final int[] npig;

        CategoryEval(CocoGroundTruth gt, CocoDetections dt, Params p, int k, int[] gRows, int[] dRows) {
            this.gt = gt;
            this.dt = dt;
            this.p = p;
            this.k = k;
            this.gRows = gRows;
            this.dRows = dRows;
            this.T = p.iouThrs.length;
            this.A = p.areaRanges.length;
            this.maxDet = p.maxDets[p.maxDets.length - 1];
            this.npig = new int[A];
        }

        void run(CocoEvalResult r) {
            if (gRows.length == 0 && dRows.length == 0) return;
            int cap = countKept();
            score = new double[cap];
            rank = new int[cap];
            status = new byte[A * T * cap];
            int gi = 0, di = 0;
            while (gi < gRows.length || di < dRows.length) {
                int img = Math.min(gi < gRows.length ? gt.annImage[gRows[gi]] : Integer.MAX_VALUE,
                        di < dRows.length ? dt.image[dRows[di]] : Integer.MAX_VALUE);
                int gEnd = gi, dEnd = di;
                while (gEnd < gRows.length && gt.annImage[gRows[gEnd]] == img) gEnd++;
                while (dEnd < dRows.length && dt.image[dRows[dEnd]] == img) dEnd++;
                evaluateImage(gi, gEnd, di, dEnd, cap);
                gi = gEnd;
                di = dEnd;
            }
            accumulate(r, cap);
        }

        private int countKept() {
            int total = 0, i = 0;
            while (i < dRows.length) {
                int img = dt.image[dRows[i]], j = i;
                while (j < dRows.length && dt.image[dRows[j]] == img) j++;
                total += Math.min(j - i, maxDet);
                i = j;
            }
            return total;
        }

        private void evaluateImage(int g0, int g1, int d0, int d1, int cap) {
            int G = g1 - g0;
            int[] ds = Arrays.copyOfRange(dRows, d0, d1);
            StableSort.byScoreDesc(ds, 0, ds.length, dt.score);
            int D = Math.min(ds.length, maxDet);
            int base = nKept;
            for (int d = 0; d < D; d++) {
                score[base + d] = dt.score[ds[d]];
                rank[base + d] = d;
            }
            nKept += D;
            double[] iou = new double[D * G];
            boolean[] crowd = new boolean[G];
            double[] gArea = new double[G];
            for (int g = 0; g < G; g++) {
                int row = gRows[g0 + g];
                crowd[g] = gt.crowd[row];
                gArea[g] = gt.area[row];
                for (int d = 0; d < D; d++) iou[d * G + g] = iou(dt, ds[d], gt, row);
            }
            int[] order = new int[G];
            boolean[] ign = new boolean[G];
            boolean[] taken = new boolean[G];
            for (int a = 0; a < A; a++) {
                double lo = p.areaRanges[a][0], hi = p.areaRanges[a][1];
                // non-ignored GTs first, each group in file order (numpy's stable argsort of _ignore)
                int n = 0;
                for (int g = 0; g < G; g++) if (!(crowd[g] || gArea[g] < lo || gArea[g] > hi)) order[n++] = g;
                npig[a] += n;
                for (int g = 0; g < G; g++) if (crowd[g] || gArea[g] < lo || gArea[g] > hi) order[n++] = g;
                for (int j = 0; j < G; j++) ign[j] = crowd[order[j]] || gArea[order[j]] < lo || gArea[order[j]] > hi;
                for (int t = 0; t < T; t++) {
                    Arrays.fill(taken, false);
                    int off = (a * T + t) * cap + base;
                    double thr = Math.min(p.iouThrs[t], 1 - 1e-10);
                    for (int d = 0; d < D; d++) {
                        double best = thr;
                        int m = -1;
                        for (int j = 0; j < G; j++) {
                            int g = order[j];
                            if (taken[j] && !crowd[g]) continue;
                            // once holding a real GT, stop at the first ignored one
                            if (m > -1 && !ign[m] && ign[j]) break;
                            double v = iou[d * G + g];
                            if (v < best) continue;
                            best = v;
                            m = j;
                        }
                        byte s;
                        if (m == -1) {
                            int row = ds[d];
                            double dArea = dt.w[row] * dt.h[row];
                            s = (dArea < lo || dArea > hi) ? IGNORED : FP;
                        } else {
                            taken[m] = true;
                            s = ign[m] ? IGNORED : TP;
                        }
                        status[off + d] = s;
                    }
                }
            }
        }

        /**
         * pycocotools' accumulate, evaluated only where it matters: recall only rises at true
         * positives and precision only falls elsewhere, so the searchsorted hits and the running
         * maximum from the right are both found among the true positives. The values compared and
         * returned are the same doubles pycocotools computes, with far fewer divisions.
         */
        private void accumulate(CocoEvalResult r, int cap) {
            int R = p.recThrs.length;
            int M = p.maxDets.length;
            int[] sel = new int[nKept];
            int[] tpPos = new int[nKept];
            double[] sufMax = new double[nKept];
            int perImage = 0; // the most detections any image keeps in this category
            for (int i = 0; i < nKept; i++) perImage = Math.max(perImage, rank[i] + 1);
            int sameAsAll = -1;
            for (int m = M - 1; m >= 0; m--) {
                int md = p.maxDets[m];
                if (md >= perImage) {
                    // no image has more than md detections here: the selection, and so every
                    // number, equals that of a larger limit already computed
                    if (sameAsAll >= 0) {
                        r.copyMaxDets(k, sameAsAll, m);
                        continue;
                    }
                    sameAsAll = m;
                }
                int nd = 0;
                for (int i = 0; i < nKept; i++) if (rank[i] < md) sel[nd++] = i;
                StableSort.byScoreDesc(sel, 0, nd, score);
                for (int a = 0; a < A; a++) {
                    if (npig[a] == 0) continue;
                    double np = npig[a];
                    for (int t = 0; t < T; t++) {
                        int off = (a * T + t) * cap;
                        int nTp = 0;
                        long fp = 0;
                        for (int i = 0; i < nd; i++) {
                            byte s = status[off + sel[i]];
                            if (s == TP) {
                                tpPos[nTp] = i;
                                double tpd = nTp + 1, fpd = fp;
                                sufMax[nTp++] = tpd / (fpd + tpd + EPS);
                            } else if (s == FP) {
                                fp++;
                            }
                        }
                        for (int j = nTp - 1; j > 0; j--) if (sufMax[j] > sufMax[j - 1]) sufMax[j - 1] = sufMax[j];
                        r.setRecall(t, k, a, m, nd > 0 ? nTp / np : 0);
                        double rc0 = nd > 0 && nTp > 0 && tpPos[0] == 0 ? 1 / np : 0;
                        int j = 0;
                        for (int ri = 0; ri < R; ri++) {
                            double thr = p.recThrs[ri];
                            if (nd == 0) {
                                r.setPrecision(t, ri, k, a, m, 0, 0);
                                continue;
                            }
                            int pi; // np.searchsorted(rc, thr, side='left')
                            if (rc0 >= thr) {
                                pi = 0;
                            } else {
                                while (j < nTp && (j + 1) / np < thr) j++;
                                pi = j < nTp ? tpPos[j] : nd;
                            }
                            if (pi == nd) r.setPrecision(t, ri, k, a, m, 0, 0);
                            else r.setPrecision(t, ri, k, a, m, nTp > 0 ? sufMax[pi == 0 ? 0 : j] : 0, score[sel[pi]]);
                        }
                    }
                }
            }
        }
    }

    /** maskUtils' bbIou for one pair, operation for operation. */
    static double iou(CocoDetections dt, int d, CocoGroundTruth gt, int g) {
        double dx = dt.x[d], dy = dt.y[d], dw = dt.w[d], dh = dt.h[d];
        double gx = gt.x[g], gy = gt.y[g], gw = gt.w[g], gh = gt.h[g];
        double w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx);
        if (w <= 0) return 0;
        double h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy);
        if (h <= 0) return 0;
        double i = w * h;
        double u = gt.crowd[g] ? dw * dh : dw * dh + gw * gh - i;
        return i / u;
    }
}
