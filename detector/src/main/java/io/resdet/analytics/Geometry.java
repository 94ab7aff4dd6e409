package io.resdet.analytics;

/**
 * The plane geometry of zones and lines, in image coordinates (x right, y down). Boundaries are decided exactly on
 * the given doubles (no epsilon): a point on a polygon's edge is inside, a point on a line is on neither side.
 */
final class Geometry {
    private Geometry() {}

    /**
     * The cross product of {@code a→b} and {@code a→p}: negative when p is on the left of a→b as seen on the screen
     * (y pointing down), positive on the right, 0 on the (infinite) line.
     */
    static double cross(double ax, double ay, double bx, double by, double px, double py) {
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }

    /** -1 left of a→b on the screen, +1 right, 0 on the line. */
    static int side(double[] a, double[] b, double[] p) {
        return (int) Math.signum(cross(a[0], a[1], b[0], b[1], p[0], p[1]));
    }

    /**
     * Whether the move p→q, with p and q strictly on opposite sides of the infinite line through a and b, passes
     * through the closed segment a-b: true when a and b are not strictly on the same side of p→q (so passing exactly
     * through an end point of the segment counts).
     */
    static boolean passesThrough(double[] a, double[] b, double[] p, double[] q) {
        double da = Math.signum(cross(p[0], p[1], q[0], q[1], a[0], a[1])), db = Math.signum(cross(p[0], p[1], q[0], q[1], b[0], b[1]));
        return da * db <= 0;
    }

    /** Whether (x, y) lies in the closed polygon (even-odd rule, so concave polygons work; edges and corners are inside). */
    static boolean inside(double[][] polygon, double x, double y) {
        boolean in = false;
        for (int i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
            double xi = polygon[i][0], yi = polygon[i][1], xj = polygon[j][0], yj = polygon[j][1];
            if (onSegment(xj, yj, xi, yi, x, y)) return true;
            // A crossing of the rightward ray from (x, y); half-open in y so a vertex the ray hits counts once.
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
        }
        return in;
    }

    private static boolean onSegment(double ax, double ay, double bx, double by, double x, double y) {
        return cross(ax, ay, bx, by, x, y) == 0 && x >= Math.min(ax, bx) && x <= Math.max(ax, bx)
                && y >= Math.min(ay, by) && y <= Math.max(ay, by);
    }

    /** Twice the signed area of the polygon (shoelace); 0 when all its points lie on one line. */
    static double doubleArea(double[][] polygon) {
        double s = 0;
        for (int i = 0, j = polygon.length - 1; i < polygon.length; j = i++) s += polygon[j][0] * polygon[i][1] - polygon[i][0] * polygon[j][1];
        return s;
    }
}
