package io.resdet.detector.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Box utilities of {@code torchvision.ops.boxes}: area, IoU, clipping, small-box removal, NMS and
 * batched NMS. Boxes are {@code (x1, y1, x2, y2)} float32 arrays of shape (N, 4).
 *
 * <p>Results are attached to the manager of the first input array and live on its device.
 *
 * <p>Device: area, IoU, clipping and small-box removal are tensor ops on the boxes' device. NMS
 * ({@link #nms}, {@link #batchedNms}) runs on the host: DJL has no NMS kernel and greedy suppression is
 * sequential, so the boxes, scores and classes are copied down (N × 6 numbers, at most a few thousand rows per
 * image) and the kept indices go back up to the boxes' device. On a GPU this is one synchronisation per call.
 */
public final class BoxOps {
    private BoxOps() {}

    /** {@code box_area}: (N, 4) → (N). */
    public static NDArray boxArea(NDArray boxes) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray w = boxes.get(":, 2").sub(boxes.get(":, 0"));
            NDArray h = boxes.get(":, 3").sub(boxes.get(":, 1"));
            NDArray area = w.mul(h);
            NDScope.unregister(area);
            return area;
        }
    }

    /** {@code box_iou}: (N, 4) × (M, 4) → (N, M), with torchvision's operation order. */
    public static NDArray boxIou(NDArray boxes1, NDArray boxes2) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // A nested scope's result escapes every scope; hand it to this one so it is closed here.
            NDArray area1 = owned(boxArea(boxes1));
            NDArray area2 = owned(boxArea(boxes2));
            NDArray b1 = boxes1.expandDims(1); // (N, 1, 4)
            NDArray lt = b1.get(":, :, :2").maximum(boxes2.get(":, :2"));
            NDArray rb = b1.get(":, :, 2:").minimum(boxes2.get(":, 2:"));
            NDArray wh = rb.sub(lt).maximum(0f);
            NDArray inter = wh.get(":, :, 0").mul(wh.get(":, :, 1"));
            NDArray union = area1.expandDims(1).add(area2).sub(inter);
            NDArray iou = inter.div(union);
            NDScope.unregister(iou);
            return iou;
        }
    }

    /** {@code clip_boxes_to_image}: clamps x to [0, width] and y to [0, height]; any leading shape (..., 4). */
    public static NDArray clipBoxesToImage(NDArray boxes, long height, long width) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = boxes.get("..., 0::2").clip(0f, (float) width);
            NDArray y = boxes.get("..., 1::2").clip(0f, (float) height);
            // stack on a new last axis then flatten: x1 y1 x2 y2 interleaving as torchvision's stack((x, y), dim)
            NDArray clipped = NDArrays.stack(new NDList(x, y), boxes.getShape().dimension()).reshape(boxes.getShape());
            NDScope.unregister(clipped);
            return clipped;
        }
    }

    /** {@code remove_small_boxes}: int64 indices of the boxes whose both sides are {@code >= minSize}. */
    public static NDArray removeSmallBoxes(NDArray boxes, float minSize) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray ws = boxes.get(":, 2").sub(boxes.get(":, 0"));
            NDArray hs = boxes.get(":, 3").sub(boxes.get(":, 1"));
            NDArray keep = ws.gte(minSize).logicalAnd(hs.gte(minSize));
            NDArray idx = keep.nonzero().reshape(-1).toType(DataType.INT64, false);
            NDScope.unregister(idx);
            return idx;
        }
    }

    /**
     * {@code torchvision.ops.nms}: greedy non-maximum suppression. A box is suppressed when its IoU with
     * an already kept, higher-scored box is strictly greater than {@code iouThreshold}.
     *
     * <p>Tie order: boxes with equal scores are visited in ascending index order (a stable descending
     * sort). torchvision leaves that order unspecified, so with tied scores on overlapping boxes the
     * kept set itself can differ from torchvision's; without ties the result is identical.
     *
     * @return int64 indices of kept boxes, by descending score
     */
    public static NDArray nms(NDArray boxes, NDArray scores, double iouThreshold) {
        float[] b = toFloats(boxes);
        float[] s = toFloats(scores);
        int[] keep = nms(b, s, null, iouThreshold);
        return indices(boxes, keep);
    }

    /**
     * {@code torchvision.ops.batched_nms}: NMS independently per category {@code idxs}.
     *
     * <p>Like torchvision, up to 4000 coordinates on CPU (20000 on other devices) the boxes are shifted by
     * {@code idx * (max_coordinate + 1)} in float32 and a single NMS runs (the shift can move IoUs by
     * rounding, so this keeps borderline decisions identical to torchvision); above that, NMS runs per
     * category on the original coordinates. Either way the result is sorted by descending score.
     */
    public static NDArray batchedNms(NDArray boxes, NDArray scores, NDArray idxs, double iouThreshold) {
        long n = boxes.getShape().get(0);
        if (n == 0) {
            return indices(boxes, new int[0]);
        }
        float[] b = toFloats(boxes);
        float[] s = toFloats(scores);
        long[] cls = toLongs(idxs);
        long limit = boxes.getDevice().isGpu() ? 20000 : 4000;
        int[] keep;
        if (b.length > limit) {
            keep = nms(b, s, cls, iouThreshold);
        } else {
            float max = Float.NEGATIVE_INFINITY;
            for (float v : b) {
                max = Math.max(max, v);
            }
            float step = max + 1f;
            float[] shifted = new float[b.length];
            for (int i = 0; i < n; i++) {
                float off = (float) cls[i] * step;
                for (int k = 0; k < 4; k++) {
                    shifted[4 * i + k] = b[4 * i + k] + off;
                }
            }
            keep = nms(shifted, s, null, iouThreshold);
        }
        return indices(boxes, keep);
    }

    /**
     * Greedy NMS on primitive arrays; {@code boxes} holds N × 4 coordinates. With {@code classes} non-null,
     * boxes only suppress boxes of their own class (one pass in global score order equals per-class NMS
     * followed by a merge by score).
     *
     * @return kept indices by descending score, ties by ascending index
     */
    public static int[] nms(float[] boxes, float[] scores, long[] classes, double iouThreshold) {
        int n = scores.length;
        if (boxes.length != 4 * n) {
            throw new IllegalArgumentException("boxes must be N x 4 with N = " + n + ", got " + boxes.length + " values");
        }
        int[] order = descendingOrder(scores);
        float[] x1 = new float[n];
        float[] y1 = new float[n];
        float[] x2 = new float[n];
        float[] y2 = new float[n];
        float[] area = new float[n];
        long[] cls = classes == null ? null : new long[n];
        for (int r = 0; r < n; r++) {
            int i = order[r];
            x1[r] = boxes[4 * i];
            y1[r] = boxes[4 * i + 1];
            x2[r] = boxes[4 * i + 2];
            y2[r] = boxes[4 * i + 3];
            area[r] = (x2[r] - x1[r]) * (y2[r] - y1[r]);
            if (cls != null) {
                cls[r] = classes[i];
            }
        }
        boolean[] suppressed = new boolean[n];
        int[] keep = new int[n];
        int kept = 0;
        // Disjoint pairs have IoU 0, which only exceeds a negative threshold; then every pair is checked.
        boolean prune = iouThreshold >= 0;
        // Spatial pruning: a box only visits boxes whose x1 lies in [x1 - widest box, x2), a superset of
        // those overlapping it in x, found by binary search in an x1-sorted copy of the boxes. Each visited
        // pair gets the same float IoU test as torchvision's kernel, so the kept set is unchanged.
        double maxWidth = 0;
        for (int i = 0; i < n; i++) {
            maxWidth = Math.max(maxWidth, (double) x2[i] - x1[i]);
        }
        if (!Double.isFinite(maxWidth)) {
            prune = false;
        }
        int[] rank = prune ? ascendingOrder(x1) : identity(n);
        float[] sx1 = new float[n];
        float[] sy1 = new float[n];
        float[] sx2 = new float[n];
        float[] sy2 = new float[n];
        float[] sarea = new float[n];
        long[] scls = cls == null ? null : new long[n];
        for (int s = 0; s < n; s++) {
            int q = rank[s];
            sx1[s] = x1[q];
            sy1[s] = y1[q];
            sx2[s] = x2[q];
            sy2[s] = y2[q];
            sarea[s] = area[q];
            if (cls != null) {
                scls[s] = cls[q];
            }
        }
        for (int r = 0; r < n; r++) {
            if (suppressed[r]) {
                continue;
            }
            keep[kept++] = order[r];
            float ix1 = x1[r];
            float iy1 = y1[r];
            float ix2 = x2[r];
            float iy2 = y2[r];
            float iarea = area[r];
            long icls = cls == null ? 0 : cls[r];
            int from = 0;
            int to = n;
            if (prune) {
                // widened by a relative margin so that float rounding of widths cannot drop a candidate
                from = lowerBound(sx1, ix1 - maxWidth - 1e-6 * (Math.abs(ix1) + maxWidth) - 1e-6);
                to = lowerBound(sx1, ix2); // boxes starting at or after x2 do not overlap in x
            }
            for (int s = from; s < to; s++) {
                int q = rank[s];
                if (q <= r || suppressed[q] || (scls != null && scls[s] != icls)) {
                    continue;
                }
                float w = Math.max(0f, Math.min(ix2, sx2[s]) - Math.max(ix1, sx1[s]));
                float h = Math.max(0f, Math.min(iy2, sy2[s]) - Math.max(iy1, sy1[s]));
                float inter = w * h;
                if (inter == 0f && prune) {
                    continue;
                }
                // Same float expression as torchvision's nms_kernel; the comparison is in double there too.
                float ovr = inter / (iarea + sarea[s] - inter);
                if (ovr > iouThreshold) {
                    suppressed[q] = true;
                }
            }
        }
        return Arrays.copyOf(keep, kept);
    }

    /** Indices of {@code v} sorted by ascending value (NaN last). */
    private static int[] ascendingOrder(float[] v) {
        int n = v.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = v[i] == 0f ? 0 : Float.floatToIntBits(v[i]);
            long sortable = Float.isNaN(v[i]) ? Integer.MAX_VALUE : (bits >= 0 ? bits : bits ^ 0x7fffffff);
            keys[i] = (sortable << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /** First index with {@code a[i] >= key} (a ascending). */
    private static int lowerBound(float[] a, double key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** Indices sorted by descending score, ties by ascending index (NaN scores sort last). */
    static int[] descendingOrder(float[] scores) {
        int n = scores.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // -0.0 and 0.0 compare equal in torch's sort; give them one key.
            int bits = scores[i] == 0f ? 0 : Float.floatToIntBits(scores[i]);
            // Map float order onto signed int order, then negate so that an ascending sort is descending.
            int sortable = bits >= 0 ? bits : bits ^ 0x7fffffff;
            long desc = Float.isNaN(scores[i]) ? Integer.MAX_VALUE : -(long) sortable;
            keys[i] = (desc << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /** Registers an array returned by another scoped op with the current {@link NDScope}. */
    static NDArray owned(NDArray a) {
        NDScope.register(a);
        return a;
    }

    static float[] toFloats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    static long[] toLongs(NDArray a) {
        if (a.getDataType() == DataType.INT64) {
            return a.toLongArray();
        }
        try (NDArray l = a.toType(DataType.INT64, true)) {
            return l.toLongArray();
        }
    }

    static NDArray indices(NDArray like, int[] idx) {
        long[] l = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            l[i] = idx[i];
        }
        NDArray created = like.getManager().create(l, new Shape(l.length));
        if (created.getDevice().equals(like.getDevice())) {
            return created;
        }
        try (created) {
            return created.toDevice(like.getDevice(), false);
        }
    }
}
