package io.resdet.eval.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.resdet.eval.Fixtures;
import io.resdet.eval.ProgressListener;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Small hand-reasoned cases for behaviours the fixtures do not isolate. */
class CocoEvalTest {

    /** One 100×100 GT (area 10000: large) on image 1, category 7. */
    private static CocoGroundTruth oneGt(double area, boolean crowd) {
        return new CocoGroundTruth("gt", new long[] {1, 2}, new long[] {7}, new String[] {"thing"},
                new long[] {1}, new long[] {1}, new long[] {7},
                new double[] {0}, new double[] {0}, new double[] {100}, new double[] {100}, new double[] {area}, new boolean[] {crowd});
    }

    private static CocoDetections dets(CocoGroundTruth gt, double[][] rows) {
        int n = rows.length;
        long[] img = new long[n], cat = new long[n];
        double[] x = new double[n], y = new double[n], w = new double[n], h = new double[n], s = new double[n];
        for (int i = 0; i < n; i++) {
            img[i] = (long) rows[i][0];
            cat[i] = 7;
            x[i] = rows[i][1];
            y[i] = rows[i][2];
            w[i] = rows[i][3];
            h[i] = rows[i][4];
            s[i] = rows[i][5];
        }
        return new CocoDetections("dt", gt, img, cat, x, y, w, h, s);
    }

    @Test
    void perfectDetectionGivesOneAndAreaRangesWithoutGtGiveMinusOne() {
        CocoGroundTruth gt = oneGt(10000, false);
        CocoEvalResult r = CocoEval.evaluate(gt, dets(gt, new double[][] {{1, 0, 0, 100, 100, 0.9}}));
        // AP all/50/75 = 1; small and medium have no GT (−1); large = 1; AR likewise
        // precision is tp/(tp+fp+eps), a hair under 1
        assertArrayEquals(new double[] {1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1, 1}, r.stats(), 1e-15);
    }

    @Test
    void halfOverlapMatchesAt050ButNotAt055() {
        CocoGroundTruth gt = oneGt(10000, false);
        // det [0,0,100,50]: intersection 5000, union 10000 → IoU exactly 0.5
        CocoEvalResult r = CocoEval.evaluate(gt, dets(gt, new double[][] {{1, 0, 0, 100, 50, 0.9}}));
        assertEquals(1.0, r.stats()[1], 1e-15, "AP50");
        assertEquals(0.0, r.stats()[2], 0, "AP75");
        assertEquals(0.1, r.stats()[0], 1e-15, "AP = 1 of 10 thresholds");
    }

    @Test
    void thresholdOneIsClampedSoAnExactBoxStillMatches() {
        CocoGroundTruth gt = oneGt(10000, false);
        Params p = Params.builder().iouThresholds(0.5, 1.0).build();
        CocoEvalResult r = CocoEval.evaluate(gt, dets(gt, new double[][] {{1, 0, 0, 100, 100, 0.9}}), p, ProgressListener.NONE);
        assertEquals(1.0, r.precision(1, 100, 0, 0, 2), 1e-15, "IoU 1.0 >= min(1.0, 1-1e-10)");
    }

    @Test
    void onlyCrowdGtMeansNoApAndDetsOnItAreIgnored() {
        CocoGroundTruth gt = oneGt(10000, true);
        CocoEvalResult r = CocoEval.evaluate(gt, dets(gt, new double[][] {{1, 10, 10, 20, 20, 0.9}, {1, 0, 0, 100, 100, 0.8}}));
        assertEquals(-1, r.perCategoryAp()[0], 0, "no non-ignored GT");
    }

    @Test
    void emptyResultsGiveZerosNotACrash() {
        CocoGroundTruth gt = oneGt(10000, false);
        CocoEvalResult r = CocoEval.evaluate(gt, dets(gt, new double[0][]));
        assertArrayEquals(new double[] {0, 0, 0, -1, -1, 0, 0, 0, 0, -1, -1, 0}, r.stats(), 0);
    }

    @Test
    void falsePositiveOnAnImageWithoutGtHalvesPrecisionWhenItScoresHigher() {
        CocoGroundTruth gt = oneGt(10000, false);
        CocoEvalResult r = CocoEval.evaluate(gt, dets(gt, new double[][] {{2, 0, 0, 100, 100, 0.9}, {1, 0, 0, 100, 100, 0.8}}));
        // ranks: FP then TP; at every recall threshold the precision is 1/2
        assertEquals(0.5, r.stats()[0], 1e-12);
        assertEquals(1.0, r.stats()[8], 0, "AR@100");
    }

    @Test
    void summaryLinesReadLikePycocotools() {
        CocoGroundTruth gt = oneGt(10000, false);
        List<String> lines = CocoEval.evaluate(gt, dets(gt, new double[][] {{1, 0, 0, 100, 50, 0.9}})).summaryLines();
        assertEquals(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.100", lines.get(0));
        assertEquals(" Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 1.000", lines.get(1));
        assertEquals(" Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000", lines.get(3));
        assertEquals(" Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.100", lines.get(6));
    }

    @Test
    void resultsDoNotDependOnThreadCountAndProgressReachesTheEnd() {
        Path dir = Fixtures.ROOT.resolve("coco-eval").resolve("noisy_medium");
        CocoGroundTruth gt = CocoGroundTruth.read(dir.resolve("gt.json"));
        CocoDetections dt = CocoDetections.read(dir.resolve("dt.json"), gt);
        AtomicLong last = new AtomicLong();
        double[] parallel = CocoEval.evaluate(gt, dt, Params.defaults(), (s, done, total) -> last.accumulateAndGet(done, Math::max)).stats();
        assertEquals(gt.numCategories(), last.get());
        // a parallel stream started inside a pool runs on that pool: one thread here
        java.util.concurrent.ForkJoinPool one = new java.util.concurrent.ForkJoinPool(1);
        double[] serial = one.submit(() -> CocoEval.evaluate(gt, dt).stats()).join();
        one.shutdown();
        assertArrayEquals(serial, parallel, 0);
    }
}
