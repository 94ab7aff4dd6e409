package io.resdet.detector.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code AnchorGenerator} of {@code torchvision/models/detection/anchor_utils.py}: per feature level a set
 * of zero-centred "cell" anchors (sizes × aspect ratios, aspect ratio = height / width), shifted to every
 * location of that level's grid.
 *
 * <p>Base anchors are computed on the host in float32 with torchvision's arithmetic ({@code sqrt}, {@code 1/h},
 * {@code ratio * size}, {@code / 2}, round half to even), so they equal torchvision's bit for bit; the grid of
 * shifted anchors is built on the feature maps' device ({@link #forward}).
 */
public final class AnchorGenerator {
    private final int[][] sizes;
    private final float[][] aspectRatios;
    /** Per level, A × 4 rounded base anchors {@code (-w/2, -h/2, w/2, h/2)}. */
    private final float[][] cellAnchors;

    public AnchorGenerator(int[][] sizes, double[][] aspectRatios) {
        if (sizes.length != aspectRatios.length) {
            throw new IllegalArgumentException("sizes and aspect ratios need one entry per feature level");
        }
        this.sizes = new int[sizes.length][];
        this.aspectRatios = new float[aspectRatios.length][];
        this.cellAnchors = new float[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            this.sizes[l] = sizes[l].clone();
            this.aspectRatios[l] = new float[aspectRatios[l].length];
            for (int i = 0; i < aspectRatios[l].length; i++) {
                this.aspectRatios[l][i] = (float) aspectRatios[l][i];
            }
            cellAnchors[l] = generateAnchors(this.sizes[l], this.aspectRatios[l]);
        }
    }

    /** Faster R-CNN FPN's generator: sizes 32…512, one per level, ratios (0.5, 1, 2) on every level. */
    public static AnchorGenerator fpnDefault() {
        return fpn(32, 64, 128, 256, 512);
    }

    /** One size per pyramid level, ratios (0.5, 1, 2) on every level. */
    public static AnchorGenerator fpn(int... perLevel) {
        int[][] sizes = new int[perLevel.length][];
        for (int l = 0; l < perLevel.length; l++) sizes[l] = new int[] {perLevel[l]};
        double[][] ratios = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            ratios[l] = new double[] {0.5, 1.0, 2.0};
        }
        return new AnchorGenerator(sizes, ratios);
    }

    /** {@code generate_anchors}: ratio-major, then size; row = {@code round([-ws, -hs, ws, hs] / 2)}. */
    static float[] generateAnchors(int[] scales, float[] ratios) {
        float[] out = new float[ratios.length * scales.length * 4];
        int row = 0;
        for (float ratio : ratios) {
            // float32 sqrt is correctly rounded; so is the double sqrt narrowed to float.
            float hRatio = (float) Math.sqrt(ratio);
            float wRatio = 1f / hRatio;
            for (int scale : scales) {
                float ws = wRatio * (float) scale;
                float hs = hRatio * (float) scale;
                out[row * 4] = (float) Math.rint(-ws / 2f);
                out[row * 4 + 1] = (float) Math.rint(-hs / 2f);
                out[row * 4 + 2] = (float) Math.rint(ws / 2f);
                out[row * 4 + 3] = (float) Math.rint(hs / 2f);
                row++;
            }
        }
        return out;
    }

    /** {@code num_anchors_per_location}: A per level. */
    public int[] numAnchorsPerLocation() {
        int[] n = new int[sizes.length];
        for (int l = 0; l < sizes.length; l++) {
            n[l] = sizes[l].length * aspectRatios[l].length;
        }
        return n;
    }

    /** A copy of the level's cell anchors, A × 4 row-major. */
    public float[] cellAnchors(int level) {
        return cellAnchors[level].clone();
    }

    /**
     * {@code grid_anchors}: for each level, {@code (H * W * A) × 4} anchors, location-major (row, then
     * column) and anchor-minor, on the host.
     *
     * @param gridSizes per level {@code {H, W}}
     * @param strides per level {@code {strideH, strideW}}
     */
    public float[][] gridAnchors(long[][] gridSizes, long[][] strides) {
        if (gridSizes.length != cellAnchors.length || strides.length != cellAnchors.length) {
            throw new IllegalArgumentException("need one grid size and stride per level: " + cellAnchors.length);
        }
        float[][] out = new float[cellAnchors.length][];
        for (int l = 0; l < cellAnchors.length; l++) {
            int gh = Math.toIntExact(gridSizes[l][0]);
            int gw = Math.toIntExact(gridSizes[l][1]);
            float[] base = cellAnchors[l];
            int a = base.length / 4;
            float[] anchors = new float[gh * gw * a * 4];
            int k = 0;
            for (int y = 0; y < gh; y++) {
                // int64 shift + float32 base in torch: the shift is exactly representable here.
                float sy = (float) (y * strides[l][0]);
                for (int x = 0; x < gw; x++) {
                    float sx = (float) (x * strides[l][1]);
                    for (int j = 0; j < a; j++) {
                        anchors[k++] = sx + base[4 * j];
                        anchors[k++] = sy + base[4 * j + 1];
                        anchors[k++] = sx + base[4 * j + 2];
                        anchors[k++] = sy + base[4 * j + 3];
                    }
                }
            }
            out[l] = anchors;
        }
        return out;
    }

    /**
     * {@code forward}: anchors for every image of a batch padded to {@code imageHeight × imageWidth}, with
     * {@code featureMaps} (N, C, H_l, W_l) per level. Strides are {@code imageSize // featureSize} per axis.
     *
     * <p>Built on the feature maps' device with tensor ops, as torchvision's {@code grid_anchors} does: the integer
     * shifts ({@code arange · stride}, exact in float32) plus the base anchors, one float32 rounding, so the values
     * equal {@link #gridAnchors}' bit for bit and nothing crosses from the host but the few base anchors. Float16 or
     * bfloat16 features still get float32 anchors: box coordinates in half precision would be off by up to a pixel.
     *
     * @return per image, all levels' anchors concatenated, (Σ H_l W_l A_l) × 4, on the feature maps' device
     *     and attached to the first feature map's manager; each image gets its own array
     */
    public List<NDArray> forward(long imageHeight, long imageWidth, int numImages, NDList featureMaps) {
        NDArray first = featureMaps.get(0);
        NDManager manager = first.getManager();
        DataType type = first.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        NDArray all;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList levels = new NDList();
            for (int l = 0; l < featureMaps.size(); l++) {
                Shape s = featureMaps.get(l).getShape();
                long h = s.get(s.dimension() - 2);
                long w = s.get(s.dimension() - 1);
                long strideH = Math.floorDiv(imageHeight, h);
                long strideW = Math.floorDiv(imageWidth, w);
                float[] cell = cellAnchors[l];
                NDArray base = manager.create(cell, new Shape(cell.length / 4, 4)).toDevice(first.getDevice(), false);
                NDArray sx = manager.arange(0, (int) w, 1, DataType.INT64).toDevice(first.getDevice(), false).mul(strideW)
                        .toType(DataType.FLOAT32, false).reshape(1, w).broadcast(new Shape(h, w)).reshape(-1);
                NDArray sy = manager.arange(0, (int) h, 1, DataType.INT64).toDevice(first.getDevice(), false).mul(strideH)
                        .toType(DataType.FLOAT32, false).reshape(h, 1).broadcast(new Shape(h, w)).reshape(-1);
                NDArray shifts = NDArrays.stack(new NDList(sx, sy, sx, sy), 1);
                levels.add(shifts.reshape(-1, 1, 4).add(base.reshape(1, -1, 4)).reshape(-1, 4));
            }
            all = levels.size() == 1 ? levels.get(0).duplicate() : NDArrays.concat(levels, 0);
            if (all.getDataType() != type) all = all.toType(type, false);
            NDScope.unregister(all);
        }
        List<NDArray> out = new ArrayList<>(numImages);
        out.add(all);
        for (int i = 1; i < numImages; i++) out.add(all.duplicate()); // device-side copies
        return out;
    }
}
