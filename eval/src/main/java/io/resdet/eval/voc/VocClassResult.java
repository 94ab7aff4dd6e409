package io.resdet.eval.voc;

/**
 * One class's evaluation: {@code rec}/{@code prec} are voc_eval's cumulative curves over the
 * detections sorted by score; {@code ap11} is the VOC2007 11-point AP, {@code apArea} the area AP.
 */
public record VocClassResult(String cls, int npos, int numDifficult, int numDetections,
                             double[] rec, double[] prec, double ap11, double apArea) {
    /** AP for the chosen metric. */
    public double ap(VocEval.Metric metric) {
        return metric == VocEval.Metric.ELEVEN_POINT ? ap11 : apArea;
    }
}
