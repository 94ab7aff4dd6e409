package io.resdet.detector.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

/**
 * {@code BoxCoder} of {@code torchvision/models/detection/_utils.py}: encodes boxes as deltas
 * {@code (dx, dy, dw, dh)} relative to reference boxes and back, in float32 with torchvision's
 * operation order (centres {@code x1 + 0.5 * w}, no "+1" pixel convention).
 */
public final class BoxCoder {
    /** torchvision's default clamp on {@code dw, dh} before {@code exp}: {@code log(1000 / 16)}. */
    public static final double BBOX_XFORM_CLIP = Math.log(1000.0 / 16);

    private final float wx;
    private final float wy;
    private final float ww;
    private final float wh;
    private final float bboxXformClip;

    public BoxCoder(double wx, double wy, double ww, double wh) {
        this(wx, wy, ww, wh, BBOX_XFORM_CLIP);
    }

    public BoxCoder(double wx, double wy, double ww, double wh, double bboxXformClip) {
        this.wx = (float) wx;
        this.wy = (float) wy;
        this.ww = (float) ww;
        this.wh = (float) wh;
        this.bboxXformClip = (float) bboxXformClip;
    }

    /** The RPN's coder, weights (1, 1, 1, 1). */
    public static BoxCoder rpn() {
        return new BoxCoder(1, 1, 1, 1);
    }

    /** The RoI heads' coder, weights (10, 10, 5, 5). */
    public static BoxCoder roiHeads() {
        return new BoxCoder(10, 10, 5, 5);
    }

    public float[] weights() {
        return new float[] {wx, wy, ww, wh};
    }

    /**
     * {@code encode_single}: the deltas that take {@code proposals} (N, 4) to {@code referenceBoxes} (N, 4).
     *
     * @return (N, 4) deltas
     */
    public NDArray encodeSingle(NDArray referenceBoxes, NDArray proposals) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray px1 = proposals.get(":, 0:1");
            NDArray py1 = proposals.get(":, 1:2");
            NDArray px2 = proposals.get(":, 2:3");
            NDArray py2 = proposals.get(":, 3:4");
            NDArray gx1 = referenceBoxes.get(":, 0:1");
            NDArray gy1 = referenceBoxes.get(":, 1:2");
            NDArray gx2 = referenceBoxes.get(":, 2:3");
            NDArray gy2 = referenceBoxes.get(":, 3:4");

            NDArray exWidths = px2.sub(px1);
            NDArray exHeights = py2.sub(py1);
            NDArray exCtrX = px1.add(exWidths.mul(0.5f));
            NDArray exCtrY = py1.add(exHeights.mul(0.5f));

            NDArray gtWidths = gx2.sub(gx1);
            NDArray gtHeights = gy2.sub(gy1);
            NDArray gtCtrX = gx1.add(gtWidths.mul(0.5f));
            NDArray gtCtrY = gy1.add(gtHeights.mul(0.5f));

            // (w * diff) / size: Python evaluates `wx * (a - b) / c` left to right.
            NDArray dx = gtCtrX.sub(exCtrX).mul(wx).div(exWidths);
            NDArray dy = gtCtrY.sub(exCtrY).mul(wy).div(exHeights);
            NDArray dw = gtWidths.div(exWidths).log().mul(ww);
            NDArray dh = gtHeights.div(exHeights).log().mul(wh);
            NDArray targets = NDArrays.concat(new NDList(dx, dy, dw, dh), 1);
            NDScope.unregister(targets);
            return targets;
        }
    }

    /**
     * {@code decode_single}: applies deltas {@code relCodes} (N, 4k) — k box predictions per reference box,
     * e.g. one per class — to {@code boxes} (N, 4).
     *
     * @return (N, 4k) boxes {@code (x1, y1, x2, y2)}
     */
    public NDArray decodeSingle(NDArray relCodes, NDArray boxes) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            long n = relCodes.getShape().get(0);
            NDArray ref = boxes.toType(relCodes.getDataType(), false);
            NDArray widths = ref.get(":, 2").sub(ref.get(":, 0"));
            NDArray heights = ref.get(":, 3").sub(ref.get(":, 1"));
            NDArray ctrX = ref.get(":, 0").add(widths.mul(0.5f)).expandDims(1);
            NDArray ctrY = ref.get(":, 1").add(heights.mul(0.5f)).expandDims(1);
            widths = widths.expandDims(1);
            heights = heights.expandDims(1);

            NDArray codes = relCodes.reshape(n, -1, 4);
            NDArray dx = codes.get(":, :, 0").div(wx);
            NDArray dy = codes.get(":, :, 1").div(wy);
            // Prevent sending too large values into exp(); only an upper clamp, as torchvision.
            NDArray dw = codes.get(":, :, 2").div(ww).minimum(bboxXformClip);
            NDArray dh = codes.get(":, :, 3").div(wh).minimum(bboxXformClip);

            NDArray predCtrX = dx.mul(widths).add(ctrX);
            NDArray predCtrY = dy.mul(heights).add(ctrY);
            NDArray predW = dw.exp().mul(widths);
            NDArray predH = dh.exp().mul(heights);

            NDArray cToCH = predH.mul(0.5f);
            NDArray cToCW = predW.mul(0.5f);
            NDArray pred = NDArrays.stack(new NDList(
                    predCtrX.sub(cToCW), predCtrY.sub(cToCH), predCtrX.add(cToCW), predCtrY.add(cToCH)), 2)
                    .reshape(n, -1);
            NDScope.unregister(pred);
            return pred;
        }
    }
}
