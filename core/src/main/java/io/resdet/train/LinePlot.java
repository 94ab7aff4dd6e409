package io.resdet.train;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart drawn with java.awt (headless): several series, solid or dashed, a legend, axis labels and
 * ticks. Several plots go side by side into one PNG with {@link #writePng}.
 */
public final class LinePlot {
    public record Series(String label, double[] x, double[] y, Color color, boolean dashed) {}

    /** Distinct colours for up to eight series, in the order the paper's figures use (warm to cool). */
    public static final List<Color> PALETTE = List.of(new Color(0xE6, 0x9F, 0x00), new Color(0x00, 0x72, 0xB2),
            new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x9E, 0x73), new Color(0xCC, 0x79, 0xA7),
            new Color(0x56, 0xB4, 0xE9), Color.BLACK, new Color(0x99, 0x99, 0x99));

    private final String title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private Double yMin, yMax;
    private boolean logY;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LinePlot add(Series s) {
        if (s.x().length != s.y().length) throw new IllegalArgumentException(s.label() + ": x and y lengths differ");
        series.add(s);
        return this;
    }

    public LinePlot yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    /** Logarithmic y axis (gradient norms span decades); non-positive values are skipped. */
    public LinePlot logY() {
        logY = true;
        return this;
    }

    public List<Series> series() {
        return series;
    }

    /** Writes the plots side by side, each {@code w × h} pixels. */
    public static void writePng(Path file, List<LinePlot> plots, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w * plots.size(), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < plots.size(); i++) plots.get(i).draw(g, i * w, 0, w, h);
        g.dispose();
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, "png", file.toFile())) throw new IOException(file + ": no PNG writer");
    }

    private double ty(double v) {
        return logY ? Math.log10(v) : v;
    }

    void draw(Graphics2D g, int ox, int oy, int w, int h) {
        int left = 62, right = 14, top = 30, bottom = 46;
        int pw = w - left - right, ph = h - top - bottom;
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double y = s.y()[i];
                if (!Double.isFinite(y) || (logY && y <= 0)) continue;
                x0 = Math.min(x0, s.x()[i]);
                x1 = Math.max(x1, s.x()[i]);
                y0 = Math.min(y0, ty(y));
                y1 = Math.max(y1, ty(y));
            }
        }
        if (!Double.isFinite(x0)) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
        if (yMin != null) { y0 = ty(yMin); y1 = ty(yMax); }
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) { y1 = y0 + 1; }
        final double fx0 = x0, fx1 = x1, fy0 = y0, fy1 = y1;
        java.util.function.DoubleUnaryOperator px = v -> ox + left + (v - fx0) / (fx1 - fx0) * pw;
        java.util.function.DoubleUnaryOperator py = v -> oy + top + ph - (ty(v) - fy0) / (fy1 - fy0) * ph;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(new Color(0xE8, 0xE8, 0xE8));
        g.setStroke(new BasicStroke(1f));
        for (int t = 0; t <= 5; t++) {
            int yy = oy + top + ph - t * ph / 5;
            g.drawLine(ox + left, yy, ox + left + pw, yy);
        }
        g.setColor(Color.BLACK);
        g.drawRect(ox + left, oy + top, pw, ph);
        for (int t = 0; t <= 5; t++) {
            double v = y0 + (y1 - y0) * t / 5;
            String s = logY ? String.format(Locale.ROOT, "1e%.1f", v) : tick(v);
            int yy = oy + top + ph - t * ph / 5;
            g.drawString(s, ox + left - 4 - fm.stringWidth(s), yy + fm.getAscent() / 2);
            double xv = x0 + (x1 - x0) * t / 5;
            String xs = x1 - x0 >= 10 ? String.format(Locale.ROOT, "%.0f", xv) : tick(xv);
            int xx = ox + left + t * pw / 5;
            g.drawLine(xx, oy + top + ph, xx, oy + top + ph + 3);
            g.drawString(xs, xx - fm.stringWidth(xs) / 2, oy + top + ph + 4 + fm.getAscent());
        }
        g.drawString(xLabel, ox + left + (pw - fm.stringWidth(xLabel)) / 2, oy + h - 8);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString(yLabel, -(oy + top + (ph + fm.stringWidth(yLabel)) / 2), ox + 14);
        r.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, ox + left + (pw - g.getFontMetrics().stringWidth(title)) / 2, oy + 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));

        Graphics2D clip = (Graphics2D) g.create();
        clip.clipRect(ox + left, oy + top, pw + 1, ph + 1);
        for (Series s : series) {
            clip.setColor(s.color());
            clip.setStroke(s.dashed()
                    ? new BasicStroke(1.3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 4f}, 0f)
                    : new BasicStroke(2f));
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < s.x().length; i++) {
                double y = s.y()[i];
                if (!Double.isFinite(y) || (logY && y <= 0)) { started = false; continue; }
                double a = px.applyAsDouble(s.x()[i]), b = py.applyAsDouble(y);
                if (started) path.lineTo(a, b); else path.moveTo(a, b);
                started = true;
            }
            clip.draw(path);
        }
        clip.dispose();

        // Series with an empty label stay out of the legend (e.g. a training curve paired with a labelled test curve).
        List<Series> named = series.stream().filter(s -> !s.label().isEmpty()).toList();
        int lx = ox + left + pw - 8, ly = oy + top + 8, rowH = fm.getHeight();
        int lw = 0;
        for (Series s : named) lw = Math.max(lw, fm.stringWidth(s.label()));
        int boxW = lw + 36;
        g.setColor(new Color(255, 255, 255, 220));
        if (named.isEmpty()) return;
        g.fillRect(lx - boxW, ly, boxW, rowH * named.size() + 6);
        g.setColor(Color.GRAY);
        g.drawRect(lx - boxW, ly, boxW, rowH * named.size() + 6);
        for (int i = 0; i < named.size(); i++) {
            Series s = named.get(i);
            int yy = ly + 3 + rowH * i + rowH / 2;
            g.setColor(s.color());
            g.setStroke(s.dashed()
                    ? new BasicStroke(1.3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 4f}, 0f)
                    : new BasicStroke(2f));
            g.drawLine(lx - boxW + 4, yy, lx - boxW + 26, yy);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), lx - boxW + 30, yy + fm.getAscent() / 2 - 1);
        }
        g.setStroke(new BasicStroke(1f));
    }

    static String tick(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) return String.format(Locale.ROOT, "%.1e", v);
        if (a >= 100 || v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
