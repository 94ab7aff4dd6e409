package io.resdet.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.resdet.train.SplitMix;

/**
 * Turns an {@link ImageSet} into normalised float batches: the paper's CIFAR augmentation for training
 * (4-pixel zero padding, a random crop back to the original size, a horizontal flip half the time) and plain
 * normalisation for evaluation. Padding is zero in pixel space, before normalisation, as torchvision's
 * {@code RandomCrop(padding=4)} followed by {@code Normalize} does.
 */
public final class Batches {
    private final ImageSet data;
    private final float[] mean, std;
    private final int pad;

    /** Normalises with {@code stats = {mean[], std[]}} (from the training set, in [0, 1] units). */
    public Batches(ImageSet data, double[][] stats, int pad) {
        this.data = data;
        this.pad = pad;
        mean = new float[data.channels()];
        std = new float[data.channels()];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = (float) stats[0][c];
            std[c] = (float) stats[1][c];
        }
    }

    /** An augmented training batch of the images at {@code idx}, drawing crops and flips from {@code r}. */
    public NDArray augmented(NDManager m, int[] idx, SplitMix r) {
        return normalised(m, augmentedPixels(idx, r), idx.length);
    }

    /**
     * The same batch before normalisation: the cropped and flipped pixels ({@code N × C × H × W} bytes, zero where
     * the crop reaches into the padding). Draws from {@code r} exactly as {@link #augmented} does.
     */
    public byte[] augmentedPixels(int[] idx, SplitMix r) {
        int c = data.channels(), h = data.height(), w = data.width();
        byte[] out = new byte[idx.length * c * h * w];
        for (int b = 0; b < idx.length; b++) {
            int dy = r.nextInt(2 * pad + 1) - pad, dx = r.nextInt(2 * pad + 1) - pad;
            boolean flip = r.nextBoolean();
            crop(out, b, idx[b], dy, dx, flip);
        }
        return out;
    }

    /** Images {@code from..to-1}, normalised, no augmentation. */
    public NDArray plain(NDManager m, int from, int to) {
        int per = data.imageBytes();
        byte[] px = java.util.Arrays.copyOfRange(data.pixels(), from * per, to * per);
        return normalised(m, px, to - from);
    }

    /** {@code (v/255 − mean) / std} per channel, in float32 as torchvision's {@code ToTensor} + {@code Normalize}. */
    public NDArray normalised(NDManager m, byte[] pixels, int n) {
        int c = data.channels(), hw = data.height() * data.width();
        float[] out = new float[pixels.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * hw;
                for (int k = 0; k < hw; k++) out[base + k] = ((pixels[base + k] & 0xFF) / 255f - mean[ch]) / std[ch];
            }
        }
        return m.create(out, new Shape(n, c, data.height(), data.width()));
    }

    public NDArray labels(NDManager m, int[] idx) {
        long[] l = new long[idx.length];
        for (int i = 0; i < idx.length; i++) l[i] = data.labels()[idx[i]];
        return m.create(l);
    }

    private void crop(byte[] out, int b, int img, int dy, int dx, boolean flip) {
        int c = data.channels(), h = data.height(), w = data.width(), hw = h * w;
        byte[] px = data.pixels();
        int src = img * c * hw, dst = b * c * hw;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                for (int x = 0; x < w; x++) {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    out[dst + ch * hw + y * w + x] = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0 : px[src + ch * hw + sy * w + sx];
                }
            }
        }
    }
}
