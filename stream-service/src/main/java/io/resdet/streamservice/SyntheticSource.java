package io.resdet.streamservice;

import io.resdet.detector.data.ShapesVideo;
import io.resdet.image.Images;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A synthetic video of {@code data synth}-style shapes (circle, rectangle, triangle) drifting over a textured
 * background ({@link ShapesVideo}), JPEG-encoded: what the bundled model was trained to find. Deterministic for a
 * given seed, so tests and demos are repeatable.
 */
public final class SyntheticSource implements FrameSource {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final ShapesVideo video;
    private final long frames;
    private long index;

    /** {@code frames} < 0: endless. */
    public SyntheticSource(int width, int height, long frames, long seed) {
        if (width < 32 || height < 32) throw new IllegalArgumentException("synthetic frames must be at least 32x32, got " + width + "x" + height);
        this.video = new ShapesVideo(width, height, 3, 6, seed);
        this.frames = frames;
    }

    @Override
    public long size() {
        return frames;
    }

    @Override
    public Frame next() {
        if (frames >= 0 && index >= frames) return null;
        BufferedImage img = Images.toBufferedImage(video.frame(index).image());
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(240, 240, 240));
        g.drawString(Long.toString(index), 3, 12);
        g.dispose();
        index++;
        return new Frame(jpeg(img, 0.9f), "image/jpeg");
    }

    public static byte[] jpeg(BufferedImage img, float quality) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(); var ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.setOutput(ios);
            w.write(null, new IIOImage(img, null, null), p);
            w.dispose();
            ios.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
