package io.resdet.streamservice;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * A synthetic video: red, green and blue shapes drifting and bouncing over a dark background, rendered with java.awt
 * and JPEG-encoded. Deterministic for a given seed, so tests and demos are repeatable.
 */
public final class SyntheticSource implements FrameSource {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final int width, height;
    private final long frames;
    private final double[][] shapes; // x, y, vx, vy, size, colour
    private long index;

    /** {@code frames} < 0: endless. */
    public SyntheticSource(int width, int height, long frames, long seed) {
        if (width < 16 || height < 16) throw new IllegalArgumentException("synthetic frames must be at least 16x16, got " + width + "x" + height);
        this.width = width;
        this.height = height;
        this.frames = frames;
        Random r = new Random(seed);
        shapes = new double[3][];
        for (int i = 0; i < shapes.length; i++) {
            double size = Math.min(width, height) * (0.18 + 0.12 * r.nextDouble());
            shapes[i] = new double[] {r.nextDouble() * (width - size), r.nextDouble() * (height - size),
                    (r.nextBoolean() ? 1 : -1) * (1 + 2 * r.nextDouble()), (r.nextBoolean() ? 1 : -1) * (1 + 2 * r.nextDouble()), size, i};
        }
    }

    @Override
    public long size() {
        return frames;
    }

    @Override
    public Frame next() {
        if (frames >= 0 && index >= frames) return null;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(24, 26, 32));
        g.fillRect(0, 0, width, height);
        Color[] colours = {new Color(220, 50, 50), new Color(50, 200, 80), new Color(60, 90, 230)};
        for (double[] s : shapes) {
            int x = (int) s[0], y = (int) s[1], d = (int) s[4];
            g.setColor(colours[(int) s[5]]);
            switch ((int) s[5]) {
                case 0 -> g.fillOval(x, y, d, d);
                case 1 -> g.fillRect(x, y, d, d);
                default -> g.fillPolygon(new int[] {x, x + d / 2, x + d}, new int[] {y + d, y, y + d}, 3);
            }
            s[0] += s[2];
            s[1] += s[3];
            if (s[0] < 0 || s[0] + d > width) s[2] = -s[2];
            if (s[1] < 0 || s[1] + d > height) s[3] = -s[3];
        }
        g.setColor(new Color(200, 200, 200));
        g.setStroke(new BasicStroke(1));
        g.drawString(Long.toString(index), 3, 12);
        g.dispose();
        index++;
        return new Frame(jpeg(img, 0.85f), "image/jpeg");
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
