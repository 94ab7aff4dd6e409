package io.resdet.image;

/** 8-bit interleaved RGB pixels, row-major: the common currency between decoding and transforms. */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("empty image " + width + "x" + height);
        if (rgb.length != 3L * width * height) throw new IllegalArgumentException("pixel buffer does not match " + width + "x" + height);
    }

    /** Copies out the rectangle [left, left+w) × [top, top+h). */
    public RgbImage crop(int left, int top, int w, int h) {
        if (left < 0 || top < 0 || left + w > width || top + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + left + "+" + top + " outside " + width + "x" + height);
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) System.arraycopy(rgb, ((top + y) * width + left) * 3, out, y * w * 3, w * 3);
        return new RgbImage(w, h, out);
    }
}
