package io.resdet.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * torchvision's ImageNet evaluation transform on PIL images: {@code Resize(256)} (shorter side, Pillow
 * bilinear), {@code CenterCrop(224)}, {@code ToTensor()}, {@code Normalize(mean, std)}. With
 * {@code resize == false} only the last two steps run.
 */
public final class ImageNetTransform {
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final int resizeTo;
    private final int crop;
    private final boolean resize;

    public ImageNetTransform(int resizeTo, int crop, boolean resize) {
        this.resizeTo = resizeTo;
        this.crop = crop;
        this.resize = resize;
    }

    public static ImageNetTransform standard() {
        return new ImageNetTransform(256, 224, true);
    }

    public static ImageNetTransform normaliseOnly() {
        return new ImageNetTransform(0, 0, false);
    }

    /** The image after resize and crop, before normalisation (what the network sees, as pixels). */
    public RgbImage geometry(RgbImage im) {
        if (!resize) return im;
        int w = im.width(), h = im.height();
        int nw, nh;
        if (w <= h) {
            nw = resizeTo;
            nh = (int) ((long) resizeTo * h / w);
        } else {
            nh = resizeTo;
            nw = (int) ((long) resizeTo * w / h);
        }
        // torchvision computes int(size * long / short) in floating point; the integer form is the same floor.
        RgbImage r = PilResize.bilinear(im, nw, nh);
        if (nw < crop || nh < crop) r = padToAtLeast(r, crop);
        int top = (int) Math.rint((r.height() - crop) / 2.0);
        int left = (int) Math.rint((r.width() - crop) / 2.0);
        return r.crop(left, top, crop, crop);
    }

    /** (3, H, W) float32 tensor, normalised. */
    public NDArray apply(NDManager m, RgbImage im) {
        RgbImage g = geometry(im);
        return toTensor(m, g, MEAN, STD);
    }

    /** {@code ToTensor} then {@code Normalize}, in float32 with torch's operation order. */
    public static NDArray toTensor(NDManager m, RgbImage g, float[] mean, float[] std) {
        int w = g.width(), h = g.height(), plane = w * h;
        float[] chw = new float[3 * plane];
        byte[] px = g.rgb();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float v = (px[i * 3 + c] & 0xff) / 255f;
                chw[c * plane + i] = (v - mean[c]) / std[c];
            }
        }
        return m.create(chw, new Shape(3, h, w));
    }

    private static RgbImage padToAtLeast(RgbImage r, int size) {
        // torchvision pads with zeros, split evenly (extra on the right/bottom), before center-cropping.
        int nw = Math.max(r.width(), size), nh = Math.max(r.height(), size);
        int left = (nw - r.width()) / 2, top = (nh - r.height()) / 2;
        byte[] out = new byte[nw * nh * 3];
        for (int y = 0; y < r.height(); y++) {
            System.arraycopy(r.rgb(), y * r.width() * 3, out, ((y + top) * nw + left) * 3, r.width() * 3);
        }
        return new RgbImage(nw, nh, out);
    }
}
