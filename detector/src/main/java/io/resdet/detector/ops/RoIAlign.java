package io.resdet.detector.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torchvision.ops.roi_align} as one sparse matrix product.
 *
 * <p>Every output bin is a fixed linear combination of feature-map pixels: the average, over a
 * {@code gridH × gridW} grid of sample points, of the bilinear weights of each point's four neighbours.
 * The weights are computed on the host with the arithmetic of torchvision's CPU kernel
 * ({@code pre_calc_for_bilinear_interpolate}), assembled as a COO matrix (bins × pixels), and multiplied by
 * the feature map laid out as (pixels × channels). The product is an ordinary autograd op, so the
 * gradient with respect to the feature map is the transposed matrix times the incoming gradient — exactly
 * torchvision's backward — and it runs on whatever device the features live on.
 *
 * <p>Because a sample's validity and weights split into a y part and an x part, a bin's weights are the
 * outer product of its summed y weights and summed x weights; building them that way merges samples that
 * share pixels (typically 16 corner terms shrink to 4–9 non-zeros per bin). Only the rounding of the
 * average changes (well below 1e-6 relative).
 *
 * <p>Device: the weights are built on the host from the RoIs (K × 4 floats come down; a GPU waits for them), and
 * the sparse matrix goes up to the features' device, where the product runs; the feature maps never leave it.
 * Float16/bfloat16 features are multiplied in float32 and the result is returned in their type.
 */
public final class RoIAlign {
    private RoIAlign() {}

    /**
     * @param input (N, C, H, W) float32 features
     * @param rois (K, 5) float: {@code (batch_index, x1, y1, x2, y2)} in image coordinates
     * @param spatialScale image → feature-map scale (e.g. 1/4)
     * @param samplingRatio sample points per bin side; ≤ 0 means {@code ceil(roi_size / output_size)}
     * @param aligned shift by half a pixel (Detectron2's aligned RoIAlign); false as torchvision's default
     * @return (K, C, outputHeight, outputWidth), attached to {@code input}'s manager
     */
    public static NDArray roiAlign(NDArray input, NDArray rois, int outputHeight, int outputWidth,
            double spatialScale, int samplingRatio, boolean aligned) {
        Shape s = input.getShape();
        int n = Math.toIntExact(s.get(0));
        int height = Math.toIntExact(s.get(2));
        int width = Math.toIntExact(s.get(3));
        float[] r = BoxOps.toFloats(rois);
        int k = r.length / 5;
        float scale = (float) spatialScale;
        Weights w = new Weights(k * outputHeight * outputWidth * 9);
        for (int i = 0; i < k; i++) {
            int b = (int) r[5 * i];
            if (b < 0 || b >= n) {
                throw new IllegalArgumentException("RoI " + i + " has batch index " + r[5 * i] + " outside [0, " + n + ")");
            }
            w.addRoi((long) i * outputHeight * outputWidth, (long) b * height * width, height, width,
                    r[5 * i + 1], r[5 * i + 2], r[5 * i + 3], r[5 * i + 4], scale,
                    outputHeight, outputWidth, samplingRatio, aligned);
        }
        return apply(w, k, outputHeight, outputWidth, new NDList(input));
    }

    /** {@code roi_align} with boxes given per image, (K_i, 4) each, in image order; output rows follow them. */
    public static NDArray roiAlign(NDArray input, List<NDArray> boxes, int outputHeight, int outputWidth,
            double spatialScale, int samplingRatio, boolean aligned) {
        try (NDArray rois = convertToRoiFormat(boxes)) {
            return roiAlign(input, rois, outputHeight, outputWidth, spatialScale, samplingRatio, aligned);
        }
    }

    /** {@code _convert_to_roi_format}: per-image (K_i, 4) boxes → (ΣK_i, 5) with the image index first. */
    public static NDArray convertToRoiFormat(List<NDArray> boxes) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList parts = new NDList();
            for (int i = 0; i < boxes.size(); i++) {
                NDArray b = boxes.get(i);
                NDArray ids = b.get(":, :1").zerosLike().add(i);
                parts.add(ids.concat(b, 1));
            }
            NDArray rois = NDArrays.concat(parts, 0);
            NDScope.unregister(rois);
            return rois;
        }
    }

    /**
     * Multiplies the bin × pixel weights by the features: {@code features} are stacked pixel-major in list
     * order, each (N_l, C, H_l, W_l) contributing N_l·H_l·W_l columns, matching the column bases used when
     * the weights were built.
     */
    static NDArray apply(Weights w, int numRois, int outputHeight, int outputWidth, NDList features) {
        NDArray first = features.get(0);
        long channels = first.getShape().get(1);
        long rows = (long) numRois * outputHeight * outputWidth;
        NDManager parent = first.getManager();
        try (NDScope scope = new NDScope(); NDManager sub = parent.newSubManager(first.getDevice())) {
            scope.suppressNotUsedWarning();
            NDList columns = new NDList(features.size());
            long cols = 0;
            DataType type = first.getDataType();
            for (NDArray f : features) {
                if (f.getDataType() != type) {
                    throw new IllegalArgumentException("RoIAlign expects features of one type, got " + type + " and " + f.getDataType());
                }
                if (type == DataType.FLOAT16 || type == DataType.BFLOAT16) {
                    // the bilinear sums run in float32, as under torch's autocast; the result goes back to `type`
                    f = f.toType(DataType.FLOAT32, false);
                } else if (type != DataType.FLOAT32) {
                    throw new IllegalArgumentException("RoIAlign expects float32, float16 or bfloat16 features, got " + type);
                }
                // (C, H, W) → (H·W, C) per image: each pixel's channels contiguous, as the sparse product
                // reads rows. These are views; the one concat below is the only copy.
                long images = f.getShape().get(0);
                for (long i = 0; i < images; i++) {
                    NDArray pixelMajor = f.get(i).transpose(1, 2, 0).reshape(-1, channels);
                    cols += pixelMajor.getShape().get(0);
                    columns.add(pixelMajor);
                }
            }
            if (columns.size() == 1) {
                // DJL returns a lone array's clone, which keeps the transposed strides; concatenating an
                // empty block makes torch write one contiguous (pixels × channels) matrix.
                columns.add(sub.zeros(new Shape(0, channels), DataType.FLOAT32));
            }
            NDArray dense = NDArrays.concat(columns, 0);
            NDArray out;
            if (rows == 0 || w.nnz == 0) {
                out = sub.zeros(new Shape(numRois, channels, outputHeight, outputWidth), DataType.FLOAT32);
                if (rows > 0) {
                    // Keep the graph connected so a backward pass reaches the features with zero gradient.
                    out = out.add(dense.sum().mul(io.resdet.nn.Losses.scalar(dense, 0)));
                }
            } else {
                long[][] idx = {Arrays.copyOf(w.rows, w.nnz), Arrays.copyOf(w.cols, w.nnz)};
                // A clone owns its values: DJL's COO wraps a Java buffer that could be collected before the
                // backward pass reads the matrix again.
                NDArray matrix = sub.createCoo(FloatBuffer.wrap(w.vals, 0, w.nnz), idx, new Shape(rows, cols)).duplicate();
                out = matrix.matMul(dense)
                        .reshape(numRois, (long) outputHeight * outputWidth, channels)
                        .transpose(0, 2, 1)
                        .reshape(numRois, channels, outputHeight, outputWidth);
            }
            if (out.getDataType() != type) out = out.toType(type, false);
            out.attach(parent);
            NDScope.unregister(out);
            return out;
        }
    }

    /** Growable COO triplets, rows ascending and columns ascending within a row (already coalesced). */
    static final class Weights {
        long[] rows;
        long[] cols;
        float[] vals;
        int nnz;
        // scratch: per output row/column of a RoI, the summed 1-D weights over a contiguous pixel span
        private float[] wy = new float[64];
        private float[] wx = new float[64];
        private int[] y0;
        private int[] ySpan;
        private int[] x0;
        private int[] xSpan;

        Weights(int capacity) {
            int c = Math.max(capacity, 16);
            rows = new long[c];
            cols = new long[c];
            vals = new float[c];
        }

        private void ensure(int extra) {
            if (nnz + extra > rows.length) {
                int c = Math.max(rows.length * 2, nnz + extra);
                rows = Arrays.copyOf(rows, c);
                cols = Arrays.copyOf(cols, c);
                vals = Arrays.copyOf(vals, c);
            }
        }

        /**
         * Adds the rows {@code row0 .. row0 + outH·outW - 1} of one RoI whose image occupies columns
         * {@code colBase + y·width + x}. Coordinates follow torchvision's CPU kernel step by step in float32.
         */
        void addRoi(long row0, long colBase, int height, int width, float x1, float y1, float x2, float y2,
                float spatialScale, int outH, int outW, int samplingRatio, boolean aligned) {
            float offset = aligned ? 0.5f : 0f;
            float roiStartW = x1 * spatialScale - offset;
            float roiStartH = y1 * spatialScale - offset;
            float roiEndW = x2 * spatialScale - offset;
            float roiEndH = y2 * spatialScale - offset;
            float roiWidth = roiEndW - roiStartW;
            float roiHeight = roiEndH - roiStartH;
            if (!aligned) {
                // Force malformed RoIs to be 1x1
                roiWidth = Math.max(roiWidth, 1f);
                roiHeight = Math.max(roiHeight, 1f);
            }
            float binH = roiHeight / (float) outH;
            float binW = roiWidth / (float) outW;
            int gridH = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiHeight / (float) outH);
            int gridW = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiWidth / (float) outW);
            float count = Math.max(gridH * gridW, 1);

            if (y0 == null || y0.length < outH) {
                y0 = new int[outH];
                ySpan = new int[outH];
            }
            if (x0 == null || x0.length < outW) {
                x0 = new int[outW];
                xSpan = new int[outW];
            }
            int strideY = spanBound(binH, height);
            int strideX = spanBound(binW, width);
            if (wy.length < strideY * outH) {
                wy = new float[strideY * outH];
            }
            if (wx.length < strideX * outW) {
                wx = new float[strideX * outW];
            }
            axisWeights(wy, y0, ySpan, roiStartH, binH, gridH, outH, height, strideY);
            axisWeights(wx, x0, xSpan, roiStartW, binW, gridW, outW, width, strideX);

            for (int ph = 0; ph < outH; ph++) {
                for (int pw = 0; pw < outW; pw++) {
                    long row = row0 + (long) ph * outW + pw;
                    ensure(ySpan[ph] * xSpan[pw]);
                    for (int dy = 0; dy < ySpan[ph]; dy++) {
                        float vy = wy[ph * strideY + dy];
                        if (vy == 0f) {
                            continue;
                        }
                        long rowBase = colBase + (long) (y0[ph] + dy) * width + x0[pw];
                        for (int dx = 0; dx < xSpan[pw]; dx++) {
                            float vx = wx[pw * strideX + dx];
                            if (vx == 0f) {
                                continue;
                            }
                            rows[nnz] = row;
                            cols[nnz] = rowBase + dx;
                            vals[nnz] = vy * vx / count;
                            nnz++;
                        }
                    }
                }
            }
        }

        /**
         * For each output index p along one axis, sums the 1-D bilinear weights of its {@code grid} sample
         * points into {@code buf[p * stride + (pixel - start[p])]}; samples outside [-1, size] weigh nothing.
         *
         * @return the stride used
         */
        private static int axisWeights(float[] buf, int[] start, int[] span, float roiStart, float bin,
                int grid, int out, int size, int stride) {
            Arrays.fill(buf, 0, stride * out, 0f);
            int[] lows = new int[Math.max(grid, 0)];
            int[] highs = new int[lows.length];
            float[] ls = new float[lows.length];
            float[] hs = new float[lows.length];
            for (int p = 0; p < out; p++) {
                int lo = Integer.MAX_VALUE;
                int hi = -1;
                int valid = 0;
                for (int i = 0; i < grid; i++) {
                    float c = roiStart + p * bin + (i + .5f) * bin / (float) grid;
                    if (c < -1.0 || c > size) {
                        lows[i] = -1;
                        continue;
                    }
                    if (c <= 0) {
                        c = 0;
                    }
                    int low = (int) c;
                    int high;
                    if (low >= size - 1) {
                        high = low = size - 1;
                        c = (float) low;
                    } else {
                        high = low + 1;
                    }
                    float l = c - low;
                    lows[i] = low;
                    highs[i] = high;
                    ls[i] = l;
                    hs[i] = (float) (1. - l);
                    lo = Math.min(lo, low);
                    hi = Math.max(hi, high);
                    valid++;
                }
                if (valid == 0) {
                    start[p] = 0;
                    span[p] = 0;
                    continue;
                }
                int base = p * stride;
                for (int i = 0; i < grid; i++) {
                    if (lows[i] < 0) {
                        continue;
                    }
                    buf[base + lows[i] - lo] += hs[i];
                    buf[base + highs[i] - lo] += ls[i];
                }
                start[p] = lo;
                span[p] = hi - lo + 1;
            }
            return stride;
        }

        /** Pixels one bin can touch along an axis: its samples lie within one bin width. */
        private static int spanBound(float bin, int size) {
            double b = Math.ceil(Math.abs((double) bin)) + 3;
            return (int) Math.min(size, b);
        }
    }
}
