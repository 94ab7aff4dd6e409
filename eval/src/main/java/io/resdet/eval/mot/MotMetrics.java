package io.resdet.eval.mot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Multi-object tracking metrics of tracker output against ground truth, both MOTChallenge boxes.
 *
 * <p><b>CLEAR MOT</b> (py-motmetrics' {@code MOTAccumulator}): a ground-truth object and a tracker box may match when
 * their IoU is at least the threshold (py-motmetrics: distance 1 - IoU ≤ 1 - threshold). Each frame, first every
 * object keeps its last matched tracker id if that id is present, unclaimed and close enough; the rest are
 * matched by a minimum-cost assignment of 1 - IoU that first takes as many pairs as possible. A match is an
 * <i>ID switch</i> when the object's previous match (in any earlier frame, however long ago) was another tracker id.
 * MOTA = 1 - (misses + false positives + switches) / ground-truth boxes. A <i>fragmentation</i> is a change
 * from tracked to missed within the span between an object's first and last tracked frame, counted over the frames
 * where the object is in the ground truth (py-motmetrics' {@code num_fragmentations}; TrackEval's Frag differs in
 * also counting frames where the object is absent). MT/PT/ML: tracked in ≥ 80%, 20..80%, &lt; 20% of its frames.
 *
 * <p><b>Identity</b> (Ristani et al., py-motmetrics' {@code id_global_assignment}): each ground-truth trajectory is
 * paired with at most one tracker trajectory so that the number of frames where a pair is present and close enough
 * (IDTP) is as large as possible; IDFN = ground-truth boxes - IDTP, IDFP = tracker boxes - IDTP,
 * IDF1 = 2 IDTP / (2 IDTP + IDFP + IDFN).
 *
 * <p><b>HOTA</b> (Luiten et al., TrackEval's {@code hota.py}): a global alignment score per trajectory pair from
 * the Jaccard-normalised IoU sums, per-frame matching that maximises alignment × IoU, then for each α in
 * 0.05, 0.10, ..., 0.95 the matches with IoU ≥ α: DetA = TP / (TP + FN + FP), AssA = mean over TPs of
 * TPA / (TPA + FNA + FPA), HOTA = √(DetA · AssA); reported values are the means over α.
 */
public final class MotMetrics {
    private static final double EPS = Math.ulp(1.0); // numpy's float eps, TrackEval's tolerance

    private MotMetrics() {}

    public static MotResult evaluate(MotFile gt, MotFile dt, double iouThreshold) {
        if (!(iouThreshold > 0 && iouThreshold <= 1)) throw new IllegalArgumentException("IoU threshold must be in (0, 1], got " + iouThreshold);
        TreeSet<Integer> frames = new TreeSet<>(gt.frames().keySet());
        frames.addAll(dt.frames().keySet());
        Map<Integer, Integer> gtIndex = new TreeMap<>(), dtIndex = new TreeMap<>();
        for (List<MotFile.Box> f : gt.frames().values()) for (MotFile.Box b : f) gtIndex.putIfAbsent(b.id(), 0);
        for (List<MotFile.Box> f : dt.frames().values()) for (MotFile.Box b : f) dtIndex.putIfAbsent(b.id(), 0);
        int k = 0;
        for (Map.Entry<Integer, Integer> e : gtIndex.entrySet()) e.setValue(k++);
        k = 0;
        for (Map.Entry<Integer, Integer> e : dtIndex.entrySet()) e.setValue(k++);
        int nG = gtIndex.size(), nT = dtIndex.size();

        double maxDist = 1 - iouThreshold;
        int objects = 0, predictions = 0, matches = 0, fps = 0, misses = 0, switches = 0;
        double iouSum = 0;
        Map<Integer, Integer> last = new HashMap<>(); // gt index → tracker index of its last match
        List<List<Boolean>> status = new ArrayList<>(); // per gt: tracked (true) or missed, in the frames it is present
        for (int i = 0; i < nG; i++) status.add(new ArrayList<>());
        int[][] pairFrames = new int[nG][nT]; // frames where gt i and tracker j are present and close enough
        int[] gtCount = new int[nG], dtCount = new int[nT];

        // HOTA, first pass: the global alignment score.
        double[][] potential = new double[nG][nT];
        List<double[][]> sims = new ArrayList<>();
        List<int[]> gIdsPerFrame = new ArrayList<>(), tIdsPerFrame = new ArrayList<>();

        for (int f : frames) {
            List<MotFile.Box> g = sorted(gt.frame(f)), t = sorted(dt.frame(f));
            int[] gi = new int[g.size()], ti = new int[t.size()];
            for (int i = 0; i < gi.length; i++) gi[i] = gtIndex.get(g.get(i).id());
            for (int j = 0; j < ti.length; j++) ti[j] = dtIndex.get(t.get(j).id());
            double[][] iou = new double[g.size()][t.size()];
            for (int i = 0; i < gi.length; i++) {
                for (int j = 0; j < ti.length; j++) {
                    iou[i][j] = iou(g.get(i), t.get(j));
                    if (1 - iou[i][j] <= maxDist) pairFrames[gi[i]][ti[j]]++;
                }
            }
            for (int i : gi) gtCount[i]++;
            for (int j : ti) dtCount[j]++;
            objects += gi.length;
            predictions += ti.length;

            // CLEAR: keep last frame's correspondences where still valid.
            boolean[] gMasked = new boolean[gi.length], tMasked = new boolean[ti.length];
            for (int i = 0; i < gi.length; i++) {
                Integer prev = last.get(gi[i]);
                if (prev == null) continue;
                for (int j = 0; j < ti.length; j++) {
                    if (tMasked[j] || ti[j] != prev) continue;
                    if (1 - iou[i][j] <= maxDist) {
                        gMasked[i] = tMasked[j] = true;
                        matches++;
                        iouSum += iou[i][j];
                    }
                    break;
                }
            }
            // The rest: most pairs first, then least total distance.
            List<Integer> rows = new ArrayList<>(), cols = new ArrayList<>();
            for (int i = 0; i < gi.length; i++) if (!gMasked[i]) rows.add(i);
            for (int j = 0; j < ti.length; j++) if (!tMasked[j]) cols.add(j);
            if (!rows.isEmpty() && !cols.isEmpty()) {
                double big = Math.min(rows.size(), cols.size()) + 2;
                double[][] c = new double[rows.size()][cols.size()];
                for (int a = 0; a < rows.size(); a++) {
                    for (int b = 0; b < cols.size(); b++) {
                        double d = 1 - iou[rows.get(a)][cols.get(b)];
                        c[a][b] = d <= maxDist ? d : big;
                    }
                }
                int[] asg = Hungarian.solve(c);
                for (int a = 0; a < asg.length; a++) {
                    if (asg[a] < 0 || c[a][asg[a]] == big) continue;
                    int i = rows.get(a), j = cols.get(asg[a]);
                    gMasked[i] = tMasked[j] = true;
                    Integer prev = last.get(gi[i]);
                    if (prev != null && prev != ti[j]) switches++;
                    else matches++;
                    iouSum += iou[i][j];
                    last.put(gi[i], ti[j]);
                }
            }
            for (int i = 0; i < gi.length; i++) {
                if (!gMasked[i]) misses++;
                status.get(gi[i]).add(gMasked[i]);
            }
            for (boolean m : tMasked) if (!m) fps++;

            // HOTA first pass.
            if (gi.length > 0 && ti.length > 0) {
                double[] rowSum = new double[gi.length], colSum = new double[ti.length];
                for (int i = 0; i < gi.length; i++) {
                    for (int j = 0; j < ti.length; j++) {
                        rowSum[i] += iou[i][j];
                        colSum[j] += iou[i][j];
                    }
                }
                for (int i = 0; i < gi.length; i++) {
                    for (int j = 0; j < ti.length; j++) {
                        double denom = colSum[j] + rowSum[i] - iou[i][j];
                        if (denom > 0 + EPS) potential[gi[i]][ti[j]] += iou[i][j] / denom;
                    }
                }
            }
            sims.add(iou);
            gIdsPerFrame.add(gi);
            tIdsPerFrame.add(ti);
        }

        // Fragmentations and MT/PT/ML.
        int frag = 0, mt = 0, pt = 0, ml = 0;
        for (List<Boolean> s : status) {
            int first = s.indexOf(true), lastTracked = s.lastIndexOf(true);
            int tracked = 0;
            for (boolean b : s) if (b) tracked++;
            double ratio = s.isEmpty() ? 0 : tracked / (double) s.size();
            if (ratio >= 0.8) mt++;
            else if (ratio >= 0.2) pt++;
            else ml++;
            if (first < 0) continue;
            for (int x = first + 1; x <= lastTracked; x++) if (!s.get(x) && s.get(x - 1)) frag++;
        }

        // Identity: the trajectory pairing with the most IDTP.
        int idtp = 0;
        if (nG > 0 && nT > 0) {
            double[][] c = new double[nG][nT];
            for (int i = 0; i < nG; i++) for (int j = 0; j < nT; j++) c[i][j] = -pairFrames[i][j];
            int[] asg = Hungarian.solve(c);
            for (int i = 0; i < nG; i++) if (asg[i] >= 0) idtp += pairFrames[i][asg[i]];
        }
        int idfn = objects - idtp, idfp = predictions - idtp;

        // HOTA second pass.
        double[][] align = new double[nG][nT];
        for (int i = 0; i < nG; i++) {
            for (int j = 0; j < nT; j++) align[i][j] = potential[i][j] / (gtCount[i] + dtCount[j] - potential[i][j]);
        }
        int nA = 19;
        double[] alphas = new double[nA];
        for (int a = 0; a < nA; a++) alphas[a] = 0.05 + a * 0.05; // np.arange(0.05, 0.99, 0.05)
        double[] tp = new double[nA], fn = new double[nA], fp = new double[nA], loc = new double[nA];
        double[][][] matchCount = new double[nA][nG][nT];
        for (int x = 0; x < sims.size(); x++) {
            int[] gi = gIdsPerFrame.get(x), ti = tIdsPerFrame.get(x);
            double[][] sim = sims.get(x);
            if (gi.length == 0 || ti.length == 0) {
                for (int a = 0; a < nA; a++) {
                    fp[a] += ti.length;
                    fn[a] += gi.length;
                }
                continue;
            }
            double[][] score = new double[gi.length][ti.length];
            for (int i = 0; i < gi.length; i++) for (int j = 0; j < ti.length; j++) score[i][j] = -align[gi[i]][ti[j]] * sim[i][j];
            int[] asg = Hungarian.solve(score);
            for (int a = 0; a < nA; a++) {
                int n = 0;
                for (int i = 0; i < gi.length; i++) {
                    int j = asg[i];
                    if (j < 0 || !(sim[i][j] >= alphas[a] - EPS)) continue;
                    n++;
                    loc[a] += sim[i][j];
                    matchCount[a][gi[i]][ti[j]]++;
                }
                tp[a] += n;
                fn[a] += gi.length - n;
                fp[a] += ti.length - n;
            }
        }
        double hota = 0, detA = 0, assA = 0, locA = 0;
        for (int a = 0; a < nA; a++) {
            double ass = 0;
            for (int i = 0; i < nG; i++) {
                for (int j = 0; j < nT; j++) {
                    double m = matchCount[a][i][j];
                    if (m == 0) continue;
                    ass += m * (m / Math.max(1, gtCount[i] + dtCount[j] - m));
                }
            }
            double assAa = ass / Math.max(1, tp[a]);
            double detAa = tp[a] / Math.max(1, tp[a] + fn[a] + fp[a]);
            hota += Math.sqrt(detAa * assAa);
            detA += detAa;
            assA += assAa;
            locA += Math.max(1e-10, loc[a]) / Math.max(1e-10, tp[a]);
        }

        double mota = objects == 0 ? Double.NaN : 1 - (misses + fps + switches) / (double) objects;
        int tpClear = matches + switches;
        return new MotResult(frames.size(), objects, predictions, nG, nT, matches, fps, misses, switches, frag, mt, pt, ml,
                mota, tpClear == 0 ? Double.NaN : iouSum / tpClear,
                idtp, idfp, idfn, ratio(idtp, idtp + idfp), ratio(idtp, idtp + idfn), ratio(2.0 * idtp, 2.0 * idtp + idfp + idfn),
                hota / nA, detA / nA, assA / nA, locA / nA);
    }

    private static double ratio(double a, double b) {
        return b == 0 ? 0 : a / b;
    }

    private static List<MotFile.Box> sorted(List<MotFile.Box> boxes) {
        List<MotFile.Box> s = new ArrayList<>(boxes);
        s.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return s;
    }

    /** IoU of two {@code x, y, w, h} boxes, continuous coordinates (no +1), as py-motmetrics and TrackEval. */
    static double iou(MotFile.Box a, MotFile.Box b) {
        double iw = Math.min(a.x() + a.w(), b.x() + b.w()) - Math.max(a.x(), b.x());
        double ih = Math.min(a.y() + a.h(), b.y() + b.h()) - Math.max(a.y(), b.y());
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih, union = a.w() * a.h() + b.w() * b.h() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
