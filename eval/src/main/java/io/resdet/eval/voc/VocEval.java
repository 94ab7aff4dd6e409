package io.resdet.eval.voc;

import io.resdet.eval.EvalInputException;
import io.resdet.eval.util.NumpySum;
import io.resdet.eval.util.StableSort;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The devkit's {@code voc_eval} (detectron2 / py-faster-rcnn): inclusive pixel boxes (+1),
 * difficult objects neither help nor hurt, a detection matches when its best overlap is strictly
 * above the threshold, and a second detection of the same object is a false positive.
 */
public final class VocEval {
    /** 11-point interpolated AP (VOC2007, {@code use_07_metric=True}) or area under the PR curve. */
    public enum Metric { ELEVEN_POINT, AREA }

    static final double EPS = 2.220446049250313e-16;

    private VocEval() {
    }

    /**
     * Evaluates one class.
     *
     * @param source names the detections in errors (a file name)
     */
    public static VocClassResult evaluate(VocGroundTruth gt, String cls, VocDetections dets, double ovThresh, String source) {
        // per image: boxes and flags of this class, in annotation order
        Map<String, List<VocObject>> byImage = new HashMap<>();
        int npos = 0, ndiff = 0;
        for (String img : gt.imageIds()) {
            List<VocObject> r = gt.objects().get(img).stream().filter(o -> o.cls().equals(cls)).toList();
            byImage.put(img, r);
            for (VocObject o : r) {
                if (o.difficult()) ndiff++;
                else npos++;
            }
        }
        Map<String, boolean[]> detected = new HashMap<>();
        int nd = dets.size();
        int[] order = new int[nd];
        for (int i = 0; i < nd; i++) order[i] = i;
        StableSort.byScoreDesc(order, 0, nd, dets.score());
        double[] tp = new double[nd], fp = new double[nd];
        double[] box = dets.box();
        for (int d = 0; d < nd; d++) {
            int row = order[d];
            String img = dets.imageIds().get(row);
            List<VocObject> r = byImage.get(img);
            if (r == null) {
                throw new EvalInputException(source + ": detection #" + (row + 1) + ": image '" + img + "' is not in the image set");
            }
            double bx1 = box[4 * row], by1 = box[4 * row + 1], bx2 = box[4 * row + 2], by2 = box[4 * row + 3];
            double ovmax = Double.NEGATIVE_INFINITY;
            int jmax = -1;
            for (int j = 0; j < r.size(); j++) {
                VocObject g = r.get(j);
                double ixmin = Math.max(g.x1(), bx1), iymin = Math.max(g.y1(), by1);
                double ixmax = Math.min(g.x2(), bx2), iymax = Math.min(g.y2(), by2);
                double iw = Math.max(ixmax - ixmin + 1.0, 0.0), ih = Math.max(iymax - iymin + 1.0, 0.0);
                double inters = iw * ih;
                double uni = (bx2 - bx1 + 1.0) * (by2 - by1 + 1.0) + (g.x2() - g.x1() + 1.0) * (g.y2() - g.y1() + 1.0) - inters;
                double ov = inters / uni;
                if (ov > ovmax || jmax < 0) { // np.argmax: the first maximum
                    ovmax = ov;
                    jmax = j;
                }
            }
            if (ovmax > ovThresh) {
                if (!r.get(jmax).difficult()) {
                    boolean[] seen = detected.computeIfAbsent(img, k -> new boolean[r.size()]);
                    if (!seen[jmax]) {
                        tp[d] = 1;
                        seen[jmax] = true;
                    } else {
                        fp[d] = 1;
                    }
                }
            } else {
                fp[d] = 1;
            }
        }
        double[] rec = new double[nd], prec = new double[nd];
        double ctp = 0, cfp = 0;
        for (int d = 0; d < nd; d++) {
            ctp += tp[d];
            cfp += fp[d];
            rec[d] = ctp / (double) npos;
            prec[d] = ctp / Math.max(ctp + cfp, EPS);
        }
        return new VocClassResult(cls, npos, ndiff, nd, rec, prec, ap11(rec, prec), apArea(rec, prec));
    }

    /** VOC2007 11-point AP; thresholds are numpy's {@code arange(0, 1.1, 0.1)} = i*0.1 (0.30000000000000004 etc.). */
    static double ap11(double[] rec, double[] prec) {
        double ap = 0.0;
        for (int i = 0; i < 11; i++) {
            double t = i * 0.1;
            double p = 0;
            boolean any = false;
            for (int j = 0; j < rec.length; j++) {
                if (rec[j] >= t) {
                    p = any ? Math.max(p, prec[j]) : prec[j];
                    any = true;
                }
            }
            ap = ap + p / 11.0;
        }
        return ap;
    }

    /** Area under the PR curve with precision made non-increasing (VOC2010+ {@code voc_ap}). */
    static double apArea(double[] rec, double[] prec) {
        int n = rec.length + 2;
        double[] mrec = new double[n], mpre = new double[n];
        mrec[n - 1] = 1.0;
        System.arraycopy(rec, 0, mrec, 1, rec.length);
        System.arraycopy(prec, 0, mpre, 1, prec.length);
        for (int i = n - 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
        double[] terms = new double[n];
        int m = 0;
        for (int i = 0; i < n - 1; i++) {
            // != is true for NaN, as numpy's is: npos == 0 gives NaN like the reference
            if (mrec[i + 1] != mrec[i]) terms[m++] = (mrec[i + 1] - mrec[i]) * mpre[i + 1];
        }
        return NumpySum.sum(terms, m);
    }
}
