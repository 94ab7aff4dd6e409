package io.resdet.eval.coco;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * COCOeval parameters for bbox evaluation. {@link #defaults()} are pycocotools' defaults; the
 * builder changes IoU thresholds, maxDets and area ranges.
 */
public final class Params {
    final double[] iouThrs;
    final double[] recThrs;
    final int[] maxDets;
    final double[][] areaRanges;
    final String[] areaLabels;
    /** pycocotools' {@code params.imgIds}, sorted and distinct; null: every image of the GT. */
    final long[] imgIds;

    private Params(double[] iouThrs, double[] recThrs, int[] maxDets, double[][] areaRanges, String[] areaLabels, long[] imgIds) {
        this.imgIds = imgIds;
        this.iouThrs = iouThrs;
        this.recThrs = recThrs;
        this.maxDets = maxDets;
        this.areaRanges = areaRanges;
        this.areaLabels = areaLabels;
    }

    /** pycocotools' defaults: IoU .50:.05:.95, 101 recall points, maxDets 1/10/100, areas all/small/medium/large. */
    public static Params defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * numpy's {@code linspace}: {@code start + i*step} with the last value exactly {@code stop}. The
     * values differ from {@code i/100} in the last bit at some points and the thresholds are compared
     * with {@code >=}, so the exact doubles matter.
     */
    public static double[] linspace(double start, double stop, int num) {
        double[] v = new double[num];
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) v[i] = i * step + start;
        v[num - 1] = stop;
        return v;
    }

    public double[] iouThresholds() {
        return iouThrs.clone();
    }

    public double[] recallThresholds() {
        return recThrs.clone();
    }

    public int[] maxDets() {
        return maxDets.clone();
    }

    /** The images evaluated (sorted, distinct), or null for all of the GT's. */
    public long[] imageIds() {
        return imgIds == null ? null : imgIds.clone();
    }

    public String[] areaLabels() {
        return areaLabels.clone();
    }

    /** {@code [lo, hi]} of area range {@code a}; both bounds inclusive. */
    public double[] areaRange(int a) {
        return areaRanges[a].clone();
    }

    @Override
    public String toString() {
        return "Params[iouThrs=" + Arrays.toString(iouThrs) + ", maxDets=" + Arrays.toString(maxDets)
                + ", areas=" + Arrays.toString(areaLabels) + "]";
    }

    /** Builds {@link Params}; unset parts keep pycocotools' defaults. */
    public static final class Builder {
        private double[] iouThrs = linspace(0.5, 0.95, 10);
        private final double[] recThrs = linspace(0.0, 1.0, 101);
        private int[] maxDets = {1, 10, 100};
        private List<double[]> areas = null;
        private List<String> labels = null;
        private long[] imgIds = null;

        /**
         * Evaluates only these images, as pycocotools' {@code params.imgIds}: GT and detections of other images are
         * left out, categories stay those of the GT. An id the GT lacks contributes nothing, as in pycocotools.
         */
        public Builder imageIds(long... ids) {
            imgIds = java.util.Arrays.stream(ids).sorted().distinct().toArray();
            return this;
        }

        /** IoU thresholds, ascending, in (0, 1]. The summary's AP50/AP75 lines need 0.5 and 0.75 among them. */
        public Builder iouThresholds(double... thrs) {
            if (thrs.length == 0) throw new IllegalArgumentException("at least one IoU threshold is needed");
            for (int i = 0; i < thrs.length; i++) {
                if (!(thrs[i] > 0 && thrs[i] <= 1)) throw new IllegalArgumentException("IoU threshold " + thrs[i] + " is not in (0, 1]");
                if (i > 0 && !(thrs[i] > thrs[i - 1])) throw new IllegalArgumentException("IoU thresholds must be ascending");
            }
            iouThrs = thrs.clone();
            return this;
        }

        /** Exactly three ascending positive values, as pycocotools' summary reads maxDets[0..2]. */
        public Builder maxDets(int... m) {
            if (m.length != 3) throw new IllegalArgumentException("maxDets needs exactly 3 values (the summary uses all three), got " + m.length);
            for (int i = 0; i < 3; i++) {
                if (m[i] <= 0) throw new IllegalArgumentException("maxDets must be positive, got " + m[i]);
                if (i > 0 && m[i] <= m[i - 1]) throw new IllegalArgumentException("maxDets must be ascending");
            }
            maxDets = m.clone();
            return this;
        }

        /** Adds an area range; the first call replaces the defaults. The summary looks up labels all/small/medium/large. */
        public Builder areaRange(String label, double lo, double hi) {
            if (areas == null) {
                areas = new ArrayList<>();
                labels = new ArrayList<>();
            }
            if (!(lo <= hi)) throw new IllegalArgumentException("area range " + label + ": lo > hi");
            areas.add(new double[] {lo, hi});
            labels.add(label);
            return this;
        }

        public Params build() {
            double[][] a;
            String[] l;
            if (areas == null) {
                a = new double[][] {{0, 1e10}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, 1e10}};
                l = new String[] {"all", "small", "medium", "large"};
            } else {
                a = areas.toArray(new double[0][]);
                l = labels.toArray(new String[0]);
            }
            return new Params(iouThrs.clone(), recThrs.clone(), maxDets.clone(), a, l, imgIds == null ? null : imgIds.clone());
        }
    }
}
