package io.resdet.detector.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * {@code Matcher} of {@code torchvision/models/detection/_utils.py}: assigns each prediction (column of an
 * M × N quality matrix, rows are ground truths) the ground truth it overlaps best, or
 * {@link #BELOW_LOW_THRESHOLD} / {@link #BETWEEN_THRESHOLDS}.
 */
public final class Matcher {
    public static final int BELOW_LOW_THRESHOLD = -1;
    public static final int BETWEEN_THRESHOLDS = -2;

    private final float highThreshold;
    private final float lowThreshold;
    private final boolean allowLowQualityMatches;

    public Matcher(double highThreshold, double lowThreshold, boolean allowLowQualityMatches) {
        if (lowThreshold > highThreshold) {
            throw new IllegalArgumentException("low_threshold should be <= high_threshold");
        }
        this.highThreshold = (float) highThreshold;
        this.lowThreshold = (float) lowThreshold;
        this.allowLowQualityMatches = allowLowQualityMatches;
    }

    /**
     * @param matchQualityMatrix M (ground truth) × N (predictions), e.g. {@link BoxOps#boxIou}
     * @return int64 (N): matched ground-truth index in [0, M) or a negative code
     */
    public NDArray match(NDArray matchQualityMatrix) {
        if (matchQualityMatrix.size() == 0) {
            throw new IllegalArgumentException(matchQualityMatrix.getShape().get(0) == 0
                    ? "No ground-truth boxes available for one of the images during training"
                    : "No proposal boxes available for one of the images during training");
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // Best ground truth per prediction; argmax returns the first maximum, as torch's max(dim).
            NDArray matchedVals = matchQualityMatrix.max(new int[] {0});
            NDArray allMatches = matchQualityMatrix.argMax(0).toType(DataType.INT64, false);
            NDArray matches = allMatches.duplicate();

            NDArray below = matchedVals.lt(lowThreshold);
            NDArray between = matchedVals.gte(lowThreshold).logicalAnd(matchedVals.lt(highThreshold));
            matches.set(new NDIndex("{}", below), BELOW_LOW_THRESHOLD);
            matches.set(new NDIndex("{}", between), BETWEEN_THRESHOLDS);

            if (allowLowQualityMatches) {
                matches = setLowQualityMatches(matches, allMatches, matchQualityMatrix);
            }
            NDScope.unregister(matches);
            return matches;
        }
    }

    /**
     * {@code set_low_quality_matches_}: every prediction that attains some ground truth's highest quality
     * (ties included, even when that quality is 0) gets its best ground truth back, whatever the thresholds.
     */
    private static NDArray setLowQualityMatches(NDArray matches, NDArray allMatches, NDArray quality) {
        NDArray highestForEachGt = quality.max(new int[] {1}).expandDims(1);
        NDArray isHighest = quality.eq(highestForEachGt).toType(DataType.INT32, false);
        NDArray update = isHighest.max(new int[] {0}).gt(0);
        return NDArrays.where(update, allMatches, matches);
    }

    public float highThreshold() {
        return highThreshold;
    }

    public float lowThreshold() {
        return lowThreshold;
    }

    public boolean allowLowQualityMatches() {
        return allowLowQualityMatches;
    }
}
