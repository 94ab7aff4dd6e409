package io.resdet.detector.draw;

import io.resdet.analytics.ZoneCounts;
import io.resdet.analytics.Zones;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * Draws zone analytics over an (already annotated) frame: each zone as a lightly filled polygon with a "name N" tag
 * (N tracks in it now), each counting line with an arrow towards its "in" side and an "name in A out B" tag, and each
 * track's recent anchor points as a trail in the track's box colour, older points fainter. Sizes grow with the frame
 * as {@link DetectionPainter}'s do.
 */
public final class ZonePainter {
    private static final Color[] ZONE_COLOURS = {new Color(0, 190, 255), new Color(255, 80, 200), new Color(120, 230, 60), new Color(255, 150, 0)};
    private static final Color LINE_COLOUR = new Color(255, 225, 0);

    private ZonePainter() {}

    /**
     * Paints onto {@code image}. {@code zones} in pixels ({@link Zones.StreamZones#resolve}); {@code occupancy} by zone
     * name; {@code counts} cumulative; {@code trails} by track id, oldest point first (any may be empty).
     */
    public static void paint(BufferedImage image, Zones.StreamZones zones, Map<String, Integer> occupancy, ZoneCounts counts,
                             Map<Integer, List<double[]>> trails) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int side = Math.max(image.getWidth(), image.getHeight());
            float line = Math.max(2f, side / 320f);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, Math.round(side / 45f))));
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < zones.zones().size(); i++) zone(g, zones.zones().get(i), ZONE_COLOURS[i % ZONE_COLOURS.length], line);
            for (Zones.Line l : zones.lines()) countingLine(g, l, line, side);
            trails.forEach((id, points) -> trail(g, points, DetectionPainter.colour(id), line));
            // Tags last, so no shape covers a number.
            for (int i = 0; i < zones.zones().size(); i++) {
                Zones.Zone z = zones.zones().get(i);
                double[] top = topmost(z.polygon());
                tag(g, fm, ZONE_COLOURS[i % ZONE_COLOURS.length], z.name() + " " + occupancy.getOrDefault(z.name(), 0), top[0], top[1], 0, 0, line, image);
            }
            for (Zones.Line l : zones.lines()) {
                ZoneCounts.LineCount c = counts.lines().get(l.name());
                String text = l.name() + " in " + (c == null ? 0 : c.in()) + " out " + (c == null ? 0 : c.out());
                // Beside the from end, on the "out" side: the arrow shows the other.
                double dx = l.to()[0] - l.from()[0], dy = l.to()[1] - l.from()[1];
                tag(g, fm, LINE_COLOUR, text, l.from()[0], l.from()[1], dy, -dx, line, image);
            }
        } finally {
            g.dispose();
        }
    }

    private static void zone(Graphics2D g, Zones.Zone z, Color c, float line) {
        Path2D.Double p = new Path2D.Double();
        double[][] pts = z.polygon();
        p.moveTo(pts[0][0], pts[0][1]);
        for (int i = 1; i < pts.length; i++) p.lineTo(pts[i][0], pts[i][1]);
        p.closePath();
        Composite old = g.getComposite();
        // Light enough that boxes and the scene stay visible under the zone.
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.22f));
        g.setColor(c);
        g.fill(p);
        g.setComposite(old);
        g.setStroke(new BasicStroke(line));
        g.draw(p);
    }

    private static void countingLine(Graphics2D g, Zones.Line l, float line, int side) {
        double[] a = l.from(), b = l.to();
        g.setColor(LINE_COLOUR);
        g.setStroke(new BasicStroke(line * 1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(a[0], a[1], b[0], b[1]));
        // The arrow points to the line's right as seen on the screen: where a track that crosses "in" goes.
        double dx = b[0] - a[0], dy = b[1] - a[1], len = Math.hypot(dx, dy);
        double nx = -dy / len, ny = dx / len, size = Math.max(12, side / 20.0);
        double mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2, tx = mx + nx * size, ty = my + ny * size;
        g.setStroke(new BasicStroke(line, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(mx, my, tx, ty));
        double head = size * 0.4;
        Path2D.Double tip = new Path2D.Double();
        tip.moveTo(tx, ty);
        tip.lineTo(tx - nx * head + ny * head * 0.6, ty - ny * head - nx * head * 0.6);
        tip.lineTo(tx - nx * head - ny * head * 0.6, ty - ny * head + nx * head * 0.6);
        tip.closePath();
        g.fill(tip);
    }

    private static void trail(Graphics2D g, List<double[]> points, Color c, float line) {
        g.setStroke(new BasicStroke(line * 1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int i = 1; i < points.size(); i++) {
            // Older segments fainter: the direction of travel reads at a glance.
            int alpha = 60 + 195 * i / (points.size() - 1);
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha));
            double[] p = points.get(i - 1), q = points.get(i);
            g.draw(new Line2D.Double(p[0], p[1], q[0], q[1]));
        }
        if (points.isEmpty()) return;
        double[] last = points.get(points.size() - 1);
        double r = line * 2;
        g.setColor(c);
        g.fill(new java.awt.geom.Ellipse2D.Double(last[0] - r, last[1] - r, 2 * r, 2 * r));
    }

    private static double[] topmost(double[][] polygon) {
        double[] best = polygon[0];
        for (double[] p : polygon) if (p[1] < best[1] || (p[1] == best[1] && p[0] < best[0])) best = p;
        return best;
    }

    /**
     * A filled tag next to (x, y): its top-left corner there when (sx, sy) is zero, else wholly on the side that
     * (sx, sy) points to (mostly vertical: above or below; mostly horizontal: left or right). Kept inside the image.
     */
    private static void tag(Graphics2D g, FontMetrics fm, Color c, String text, double x, double y, double sx, double sy, float line,
                            BufferedImage image) {
        int pad = Math.max(2, Math.round(line));
        int tw = fm.stringWidth(text) + 2 * pad, th = fm.getAscent() + fm.getDescent() + pad, gap = Math.round(2 * line);
        double left = x, top = y;
        if (sx != 0 || sy != 0) {
            if (Math.abs(sy) >= Math.abs(sx)) top = sy < 0 ? y - th - gap : y + gap;
            else {
                left = sx < 0 ? x - tw - gap : x + gap;
                top = y - th / 2.0;
            }
        }
        int tx = (int) Math.max(0, Math.min(Math.round(left), image.getWidth() - tw));
        int ty = (int) Math.max(0, Math.min(Math.round(top), image.getHeight() - th));
        g.setColor(c);
        g.fillRect(tx, ty, tw, th);
        double lum = 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
        g.setColor(lum > 150 ? Color.BLACK : Color.WHITE);
        g.drawString(text, tx + pad, ty + pad / 2 + fm.getAscent());
    }
}
