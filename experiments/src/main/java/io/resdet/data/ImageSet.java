package io.resdet.data;

import java.util.List;

/**
 * Small labelled images held in memory as bytes, channel-planar per image ({@code N × C × H × W}, CIFAR's own
 * layout), with the class names. CIFAR-10's 50,000 training images take 150 MB this way.
 */
public record ImageSet(byte[] pixels, int[] labels, int channels, int height, int width, List<String> classes) {
    public ImageSet {
        long per = (long) channels * height * width;
        if ((long) labels.length * per != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + pixels.length + " pixel bytes of "
                    + channels + "×" + height + "×" + width);
        }
        for (int l : labels) {
            if (l < 0 || l >= classes.size()) throw new IllegalArgumentException("label " + l + " outside 0.." + (classes.size() - 1));
        }
    }

    public int size() {
        return labels.length;
    }

    public int imageBytes() {
        return channels * height * width;
    }

    /** The first {@code n} images (all when {@code n} is at least the size). */
    public ImageSet head(int n) {
        if (n >= size()) return this;
        byte[] px = java.util.Arrays.copyOf(pixels, n * imageBytes());
        return new ImageSet(px, java.util.Arrays.copyOf(labels, n), channels, height, width, classes);
    }

    /** Per-channel mean and standard deviation of the pixel values scaled to [0, 1]: {@code {mean[], std[]}}. */
    public double[][] channelStats() {
        double[] sum = new double[channels], sq = new double[channels];
        int hw = height * width;
        for (int i = 0; i < size(); i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * hw;
                for (int k = 0; k < hw; k++) {
                    double v = (pixels[base + k] & 0xFF) / 255.0;
                    sum[c] += v;
                    sq[c] += v * v;
                }
            }
        }
        double n = (double) size() * hw;
        double[] mean = new double[channels], std = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / n;
            std[c] = Math.sqrt(Math.max(sq[c] / n - mean[c] * mean[c], 1e-12));
        }
        return new double[][] {mean, std};
    }
}
