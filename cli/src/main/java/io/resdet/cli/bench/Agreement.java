package io.resdet.cli.bench;

import java.util.List;
import java.util.Locale;

/**
 * Whether two detectors' outputs on the same images are the same computation: each of the peer's detections is looked
 * for among resdet's (same label, box IoU ≥ 0.99, score within 0.01). A ratio between two runs that disagree would
 * compare different work, so the bench prints this next to it.
 */
final class Agreement {
    static final double IOU = 0.99, SCORE = 0.01;

    private Agreement() {}

    static String describe(List<OnnxRuntimePeer.Detections> ours, List<OnnxRuntimePeer.Detections> theirs) {
        int total = 0, found = 0;
        double worstScore = 0;
        for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
            OnnxRuntimePeer.Detections a = ours.get(i), b = theirs.get(i);
            boolean[] used = new boolean[a.scores().length];
            for (int k = 0; k < b.scores().length; k++) {
                total++;
                int best = -1;
                double bestIou = IOU;
                for (int j = 0; j < a.scores().length; j++) {
                    if (used[j] || a.labels()[j] != b.labels()[k] || Math.abs(a.scores()[j] - b.scores()[k]) > SCORE) continue;
                    double iou = iou(a.boxes()[j], b.boxes()[k]);
                    if (iou >= bestIou) {
                        bestIou = iou;
                        best = j;
                    }
                }
                if (best >= 0) {
                    used[best] = true;
                    found++;
                    worstScore = Math.max(worstScore, Math.abs(a.scores()[best] - b.scores()[k]));
                }
            }
        }
        int oursTotal = ours.stream().mapToInt(d -> d.scores().length).sum();
        String s = String.format(Locale.ROOT, "ONNX Runtime's %d detections: %d found in resdet's %d (same label, IoU ≥ %.2f, |Δscore| ≤ %.2f; worst |Δscore| %.1e)",
                total, found, oursTotal, IOU, SCORE, worstScore);
        return total > 0 && found < 0.95 * total ? s + " — WARNING: the two sides disagree; the ratio compares different work" : s;
    }

    static double iou(float[] a, float[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]), ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        double ua = (a[2] - a[0]) * (double) (a[3] - a[1]) + (b[2] - b[0]) * (double) (b[3] - b[1]) - inter;
        return inter / ua;
    }
}
