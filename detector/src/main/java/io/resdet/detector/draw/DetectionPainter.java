package io.resdet.detector.draw;

import io.resdet.detector.Detection;
import io.resdet.image.Images;
import io.resdet.image.RgbImage;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import java.util.Locale;

/**
 * Draws detections onto a copy of an image: a box per detection in its class's colour and a
 * "name score" tag on a filled background. Line width and font grow with the image so the annotation
 * reads the same on a thumbnail and on a 4K frame.
 */
public final class DetectionPainter {
    private DetectionPainter() {}

    public static RgbImage annotate(RgbImage image, List<Detection> detections) {
        BufferedImage b = draw(image, detections);
        byte[] bgr = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new RgbImage(image.width(), image.height(), rgb);
    }

    /** A new {@code TYPE_3BYTE_BGR} image with the detections drawn; the input is not modified. */
    public static BufferedImage draw(RgbImage image, List<Detection> detections) {
        BufferedImage b = Images.toBufferedImage(image);
        Graphics2D g = b.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int side = Math.max(image.width(), image.height());
            float line = Math.max(2f, side / 320f);
            g.setStroke(new BasicStroke(line));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, Math.round(side / 45f))));
            FontMetrics fm = g.getFontMetrics();
            // Worst first, so the best detection's box and tag end up on top where they overlap.
            for (int i = detections.size() - 1; i >= 0; i--) {
                Detection d = detections.get(i);
                Color c = colour(d.label());
                int x1 = Math.round(d.x1()), y1 = Math.round(d.y1());
                int w = Math.max(1, Math.round(d.x2()) - x1), h = Math.max(1, Math.round(d.y2()) - y1);
                g.setColor(c);
                g.drawRect(x1, y1, w, h);
                tag(g, fm, c, d, x1, y1, line, image.width());
            }
        } finally {
            g.dispose();
        }
        return b;
    }

    private static void tag(Graphics2D g, FontMetrics fm, Color c, Detection d, int x1, int y1, float line, int width) {
        String text = String.format(Locale.ROOT, "%s %.2f", d.name(), d.score());
        int pad = Math.max(2, Math.round(line));
        int tw = fm.stringWidth(text) + 2 * pad, th = fm.getAscent() + fm.getDescent() + pad;
        int tx = Math.max(0, Math.min(x1 - Math.round(line / 2), width - tw));
        // Above the box when there is room, else just inside its top edge.
        int ty = y1 - th >= 0 ? y1 - th : Math.max(0, y1);
        g.setColor(c);
        g.fillRect(tx, ty, tw, th);
        g.setColor(textColour(c));
        g.drawString(text, tx + pad, ty + pad / 2 + fm.getAscent());
    }

    /** A stable, well-separated colour per class: hues step by the golden ratio. */
    public static Color colour(int label) {
        float hue = (float) ((label * 0.6180339887498949) % 1.0);
        return Color.getHSBColor(hue, 0.85f, 0.95f);
    }

    private static Color textColour(Color bg) {
        double lum = 0.299 * bg.getRed() + 0.587 * bg.getGreen() + 0.114 * bg.getBlue();
        return lum > 150 ? Color.BLACK : Color.WHITE;
    }
}
