package io.resdet.detector.data;

import io.resdet.image.RgbImage;

/**
 * One image and its training targets. {@code boxes}: K×4 flattened {@code x1, y1, x2, y2} in the image's pixels
 * (continuous coordinates: a box covering pixel columns 3..5 is {@code x1 = 3, x2 = 6}); {@code labels}: K
 * contiguous class indices 1..C (0, the background, is never a target). {@code fileName} is the image's name as its
 * dataset knows it (COCO {@code file_name}, VOC {@code <id>.jpg}); {@code imageId} the id results are written with.
 * The arrays are shared, not copied: treat them as read-only.
 */
public record DetectionSample(String fileName, long imageId, RgbImage image, float[] boxes, int[] labels) {
    public DetectionSample {
        if (boxes.length != 4 * labels.length) {
            throw new IllegalArgumentException(fileName + ": " + boxes.length + " box coordinates for " + labels.length + " labels");
        }
    }

    public int numBoxes() {
        return labels.length;
    }

    /** A horizontally mirrored copy: pixels flipped left–right, {@code x1' = W - x2}, {@code x2' = W - x1}. */
    public DetectionSample flipped() {
        int w = image.width(), h = image.height();
        byte[] src = image.rgb(), dst = new byte[src.length];
        for (int y = 0; y < h; y++) {
            int row = y * w * 3;
            for (int x = 0; x < w; x++) {
                int s = row + x * 3, d = row + (w - 1 - x) * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        float[] b = new float[boxes.length];
        for (int k = 0; k < b.length; k += 4) {
            b[k] = w - boxes[k + 2];
            b[k + 1] = boxes[k + 1];
            b[k + 2] = w - boxes[k];
            b[k + 3] = boxes[k + 3];
        }
        return new DetectionSample(fileName, imageId, new RgbImage(w, h, dst), b, labels);
    }
}
