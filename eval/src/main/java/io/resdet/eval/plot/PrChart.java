package io.resdet.eval.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A precision–recall chart rendered with java.awt into a PNG; works without a display. */
public final class PrChart {
    static {
        // must be set before the first AWT class loads; servers and CI have no display
        System.setProperty("java.awt.headless", "true");
    }

    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    private record Series(String label, double[] recall, double[] precision, Color color, boolean dashed) { }

    private final String title;
    private final List<Series> series = new ArrayList<>();
    private int width = 900, height = 650;

    public PrChart(String title) {
        this.title = title;
    }

    public PrChart size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /** Adds a curve; points with a negative precision (pycocotools' −1, "no data") are left out. */
    public PrChart add(String label, double[] recall, double[] precision) {
        int i = series.size();
        series.add(new Series(label, recall, precision, PALETTE[i % PALETTE.length], i >= PALETTE.length));
        return this;
    }

    public int seriesCount() {
        return series.size();
    }

    public BufferedImage render() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int legendW = legendWidth(g);
            int left = 70, top = 50, right = width - 20 - legendW, bottom = height - 60;
            int pw = right - left, ph = bottom - top;

            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
            g.setColor(Color.BLACK);
            g.drawString(title, left, 30);

            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i <= 10; i++) {
                double v = i / 10.0;
                int x = left + (int) Math.round(v * pw), y = bottom - (int) Math.round(v * ph);
                g.setColor(new Color(0xe6e6e6));
                g.drawLine(x, top, x, bottom);
                g.drawLine(left, y, right, y);
                g.setColor(Color.DARK_GRAY);
                String s = String.format(Locale.ROOT, "%.1f", v);
                g.drawString(s, x - fm.stringWidth(s) / 2, bottom + 18);
                g.drawString(s, left - 8 - fm.stringWidth(s), y + 4);
            }
            g.setColor(Color.BLACK);
            g.drawRect(left, top, pw, ph);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            fm = g.getFontMetrics();
            g.drawString("recall", left + pw / 2 - fm.stringWidth("recall") / 2, bottom + 42);
            Graphics2D gy = (Graphics2D) g.create();
            gy.rotate(-Math.PI / 2);
            gy.drawString("precision", -(top + ph / 2 + fm.stringWidth("precision") / 2), 22);
            gy.dispose();

            for (Series s : series) {
                Path2D.Double path = new Path2D.Double();
                boolean started = false;
                for (int i = 0; i < s.recall.length; i++) {
                    if (s.precision[i] < 0 || Double.isNaN(s.precision[i]) || Double.isNaN(s.recall[i])) {
                        started = false;
                        continue;
                    }
                    double x = left + s.recall[i] * pw, y = bottom - s.precision[i] * ph;
                    if (started) path.lineTo(x, y);
                    else path.moveTo(x, y);
                    started = true;
                }
                g.setColor(s.color);
                g.setStroke(stroke(s, 2f));
                g.draw(path);
            }
            drawLegend(g, right + 15, top);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static BasicStroke stroke(Series s, float width) {
        return s.dashed
                ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
                : new BasicStroke(width);
    }

    private int legendWidth(Graphics2D g) {
        if (series.isEmpty()) return 0;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int w = 0;
        for (Series s : series) w = Math.max(w, g.getFontMetrics().stringWidth(s.label));
        return Math.min(w + 40, width / 3);
    }

    private void drawLegend(Graphics2D g, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int row = Math.max(14, Math.min(20, (height - y - 60) / Math.max(1, series.size())));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int yy = y + 10 + i * row;
            g.setColor(s.color);
            g.setStroke(stroke(s, 3f));
            g.drawLine(x, yy - 4, x + 20, yy - 4);
            g.setColor(Color.BLACK);
            g.drawString(s.label, x + 26, yy);
        }
    }

    public void write(Path png) {
        try {
            ImageIO.write(render(), "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(png + ": " + e.getMessage(), e);
        }
    }
}
