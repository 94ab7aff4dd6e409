package io.resdet.cli;

import io.resdet.detector.Detection;
import io.resdet.detector.data.DetectionDataset;
import io.resdet.detector.data.DetectionSample;
import io.resdet.detector.train.Validator;
import io.resdet.eval.coco.CocoDetections;
import io.resdet.eval.coco.CocoEval;
import io.resdet.eval.coco.CocoEvalResult;
import io.resdet.eval.coco.CocoGroundTruth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation during training with the eval module's COCO evaluation (pycocotools-identical), on a ground truth
 * built from the validation set's training targets: crowd regions and VOC "difficult" objects are not in it, so
 * numbers on such sets differ slightly from an official {@code eval run}. Metrics: AP (@[.5:.95]), AP50, AP75,
 * APs, APm, APl.
 */
final class CocoValidation implements Validator {
    private static final List<String> NAMES = List.of("AP", "AP50", "AP75", "APs", "APm", "APl");

    @Override
    public List<String> metricNames() {
        return NAMES;
    }

    @Override
    public Map<String, Double> evaluate(DetectionDataset ds, int[] indices, List<List<Detection>> detections) {
        List<String> classes = ds.classNames();
        long[] catIds = new long[classes.size() - 1];
        String[] catNames = new String[catIds.length];
        for (int c = 1; c < classes.size(); c++) {
            catIds[c - 1] = ds.categoryId(c);
            catNames[c - 1] = classes.get(c);
        }
        long[] imageIds = new long[indices.length];
        List<double[]> anns = new ArrayList<>(); // image id, category id, x, y, w, h
        for (int i = 0; i < indices.length; i++) {
            DetectionSample s;
            try {
                s = ds.get(indices[i]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            imageIds[i] = i;
            float[] b = s.boxes();
            for (int k = 0; k < s.numBoxes(); k++) {
                anns.add(new double[] {i, ds.categoryId(s.labels()[k]), b[4 * k], b[4 * k + 1], b[4 * k + 2] - b[4 * k], b[4 * k + 3] - b[4 * k + 1]});
            }
        }
        int n = anns.size();
        long[] annId = new long[n], annImage = new long[n], annCat = new long[n];
        double[] x = new double[n], y = new double[n], w = new double[n], h = new double[n], area = new double[n];
        for (int k = 0; k < n; k++) {
            double[] a = anns.get(k);
            annId[k] = k + 1;
            annImage[k] = (long) a[0];
            annCat[k] = (long) a[1];
            x[k] = a[2];
            y[k] = a[3];
            w[k] = a[4];
            h[k] = a[5];
            area[k] = a[4] * a[5];
        }
        CocoGroundTruth gt = new CocoGroundTruth(ds.describe(), imageIds, catIds, catNames, annId, annImage, annCat,
                x, y, w, h, area, new boolean[n]);
        List<double[]> dets = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            for (Detection d : detections.get(i)) {
                dets.add(new double[] {i, ds.categoryId(d.label()), d.x1(), d.y1(), d.x2() - d.x1(), d.y2() - d.y1(), d.score()});
            }
        }
        int m = dets.size();
        long[] dImage = new long[m], dCat = new long[m];
        double[] dx = new double[m], dy = new double[m], dw = new double[m], dh = new double[m], score = new double[m];
        for (int k = 0; k < m; k++) {
            double[] d = dets.get(k);
            dImage[k] = (long) d[0];
            dCat[k] = (long) d[1];
            dx[k] = d[2];
            dy[k] = d[3];
            dw[k] = d[4];
            dh[k] = d[5];
            score[k] = d[6];
        }
        CocoDetections dt = new CocoDetections("validation detections", gt, dImage, dCat, dx, dy, dw, dh, score);
        CocoEvalResult r = CocoEval.evaluate(gt, dt);
        double[] stats = r.stats();
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) out.put(NAMES.get(i), stats[i]);
        return out;
    }
}
