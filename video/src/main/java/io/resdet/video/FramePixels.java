package io.resdet.video;

import io.resdet.image.RgbImage;
import org.bytedeco.javacv.Frame;

import java.nio.ByteBuffer;

/** Copies RGB24 pixels between javacv frames (whose rows may be padded) and {@link RgbImage}. */
final class FramePixels {
    private FramePixels() {}

    static RgbImage toRgb(Frame f) {
        int w = f.imageWidth, h = f.imageHeight, row = w * 3;
        ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
        byte[] out = new byte[row * h];
        for (int y = 0; y < h; y++) {
            src.position(y * f.imageStride);
            src.get(out, y * row, row);
        }
        return new RgbImage(w, h, out);
    }

    static Frame toFrame(RgbImage im) {
        Frame f = new Frame(im.width(), im.height(), Frame.DEPTH_UBYTE, 3);
        ByteBuffer dst = (ByteBuffer) f.image[0];
        int row = im.width() * 3;
        for (int y = 0; y < im.height(); y++) {
            dst.position(y * f.imageStride);
            dst.put(im.rgb(), y * row, row);
        }
        dst.rewind();
        return f;
    }
}
