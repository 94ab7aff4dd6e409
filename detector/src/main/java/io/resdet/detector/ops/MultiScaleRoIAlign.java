package io.resdet.detector.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code torchvision.ops.MultiScaleRoIAlign} (ops/poolers.py): each box is pooled from the FPN level chosen
 * by eq. 1 of the FPN paper, {@code k = floor(k0 + log2(sqrt(area) / s0) + 1e-6)} clamped to the levels
 * present, with {@link RoIAlign} semantics (aligned = false).
 *
 * <p>All levels and images go into one sparse bin × pixel matrix, so the output comes out directly in
 * input box order (torchvision pools level by level and scatters back — the same values).
 *
 * <p>torchvision infers the scales on its first call and keeps them; this class infers them on every call
 * from the given image shapes, which is the same whenever the image shapes map to the same scales.
 *
 * <p>Device: the level of each box is computed on the boxes' device (float32 tensor ops, as torchvision), then
 * the boxes and levels come down to the host, where {@link RoIAlign} builds its weights; see there.
 */
public final class MultiScaleRoIAlign {
    private final List<String> featmapNames;
    private final int outputHeight;
    private final int outputWidth;
    private final int samplingRatio;
    private final int canonicalScale;
    private final int canonicalLevel;

    public MultiScaleRoIAlign(List<String> featmapNames, int outputSize, int samplingRatio) {
        this(featmapNames, outputSize, outputSize, samplingRatio, 224, 4);
    }

    public MultiScaleRoIAlign(List<String> featmapNames, int outputHeight, int outputWidth, int samplingRatio,
            int canonicalScale, int canonicalLevel) {
        this.featmapNames = List.copyOf(featmapNames);
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
        this.samplingRatio = samplingRatio;
        this.canonicalScale = canonicalScale;
        this.canonicalLevel = canonicalLevel;
    }

    /** Faster R-CNN's box pooler: levels '0'..'3', 7 × 7 output, sampling ratio 2. */
    public static MultiScaleRoIAlign fasterRcnn() {
        return new MultiScaleRoIAlign(List.of("0", "1", "2", "3"), 7, 2);
    }

    /** {@code LevelMapper}: the FPN level (relative to {@code kMin}) of each box, eq. 1 of the FPN paper. */
    public static final class LevelMapper {
        private final int kMin;
        private final int kMax;
        private final float s0;
        private final float lvl0;
        private final float eps;

        public LevelMapper(int kMin, int kMax, int canonicalScale, int canonicalLevel, double eps) {
            this.kMin = kMin;
            this.kMax = kMax;
            this.s0 = canonicalScale;
            this.lvl0 = canonicalLevel;
            this.eps = (float) eps;
        }

        public int kMin() {
            return kMin;
        }

        public int kMax() {
            return kMax;
        }

        /**
         * @param boxes (K, 4) boxes of all images, concatenated
         * @return int64 (K) level indices in [0, kMax - kMin]
         */
        public NDArray apply(NDArray boxes) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                // float32 tensor ops, as torchvision: floor(lvl0 + log2(s / s0) + eps)
                NDArray s = BoxOps.owned(BoxOps.boxArea(boxes)).sqrt();
                NDArray lvls = s.div(s0).log2().add(lvl0).add(eps).floor().clip(kMin, kMax);
                NDArray out = lvls.toType(DataType.INT64, false).sub(kMin);
                NDScope.unregister(out);
                return out;
            }
        }
    }

    /**
     * {@code _infer_scale}: {@code 2 ** round(log2(featureSize / imageSize))} from the height (torchvision
     * computes the width's too but returns the height's).
     */
    public static double inferScale(long featureHeight, long imageHeight) {
        double approx = (double) featureHeight / (double) imageHeight;
        // torch.tensor(approx_scale) is float32; log2 of it, rounded half to even
        float f = (float) approx;
        double lg = Math.log(f) / Math.log(2);
        return Math.pow(2, Math.rint(lg));
    }

    /** The level mapper for these features and image shapes ({@code _setup_scales}). */
    public LevelMapper levelMapper(double[] scales) {
        int lvlMin = (int) -Math.round(Math.log(scales[0]) / Math.log(2));
        int lvlMax = (int) -Math.round(Math.log(scales[scales.length - 1]) / Math.log(2));
        return new LevelMapper(lvlMin, lvlMax, canonicalScale, canonicalLevel, 1e-6);
    }

    /** Scales per selected level from the largest image height among {@code imageShapes} ((h, w) each). */
    public double[] scales(NDList features, List<long[]> imageShapes) {
        if (imageShapes.isEmpty()) {
            throw new IllegalArgumentException("images list should not be empty");
        }
        long maxH = 0;
        for (long[] shape : imageShapes) {
            maxH = Math.max(maxH, shape[0]);
        }
        double[] scales = new double[features.size()];
        for (int l = 0; l < scales.length; l++) {
            Shape s = features.get(l).getShape();
            scales[l] = inferScale(s.get(s.dimension() - 2), maxH);
        }
        return scales;
    }

    /** The maps named by {@code featmapNames}, in {@code x}'s iteration order (as torchvision's filter). */
    public NDList filter(Map<String, NDArray> x) {
        NDList out = new NDList();
        for (Map.Entry<String, NDArray> e : x.entrySet()) {
            if (featmapNames.contains(e.getKey())) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /**
     * @param x feature maps by name, (N, C, H_l, W_l), in level order (e.g. a {@code LinkedHashMap})
     * @param boxes per image (K_i, 4) boxes in image coordinates
     * @param imageShapes per image {@code {height, width}} before padding
     * @return (ΣK_i, C, outputHeight, outputWidth) in box order, attached to the first level's manager
     */
    public NDArray forward(Map<String, NDArray> x, List<NDArray> boxes, List<long[]> imageShapes) {
        NDList features = filter(x);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("none of " + featmapNames + " among " + x.keySet());
        }
        double[] scales = scales(features, imageShapes);
        LevelMapper mapper = levelMapper(scales);

        int numLevels = features.size();
        long[] colBase = new long[numLevels];
        int[][] hw = new int[numLevels][];
        long col = 0;
        for (int l = 0; l < numLevels; l++) {
            Shape s = features.get(l).getShape();
            hw[l] = new int[] {Math.toIntExact(s.get(2)), Math.toIntExact(s.get(3))};
            colBase[l] = col;
            col += s.get(0) * s.get(2) * s.get(3);
        }

        List<float[]> perImage = new ArrayList<>(boxes.size());
        int total = 0;
        for (NDArray b : boxes) {
            float[] f = BoxOps.toFloats(b);
            perImage.add(f);
            total += f.length / 4;
        }
        int[] levels;
        if (numLevels == 1) {
            levels = new int[total];
        } else {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray all = NDArrays.concat(new NDList(boxes), 0);
                levels = BoxOps.owned(mapper.apply(all)).toType(DataType.INT32, false).toIntArray();
            }
        }

        RoIAlign.Weights w = new RoIAlign.Weights(total * outputHeight * outputWidth * 9);
        int k = 0;
        for (int img = 0; img < perImage.size(); img++) {
            float[] f = perImage.get(img);
            for (int i = 0; i < f.length / 4; i++, k++) {
                int l = levels[k];
                int h = hw[l][0];
                int wd = hw[l][1];
                w.addRoi((long) k * outputHeight * outputWidth, colBase[l] + (long) img * h * wd, h, wd,
                        f[4 * i], f[4 * i + 1], f[4 * i + 2], f[4 * i + 3], (float) scales[l],
                        outputHeight, outputWidth, samplingRatio, false);
            }
        }
        return RoIAlign.apply(w, total, outputHeight, outputWidth, features);
    }
}
