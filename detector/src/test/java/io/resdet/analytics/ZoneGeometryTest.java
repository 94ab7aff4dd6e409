package io.resdet.analytics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Geometry}: point in polygon, sides of a line, moves through a segment; values worked out by hand. */
class ZoneGeometryTest {
    private static final double[][] SQUARE = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    // A U opening downwards (y down): a 30x30 block with the notch x 10..20, y 10..30 cut out.
    private static final double[][] U = {{0, 0}, {30, 0}, {30, 30}, {20, 30}, {20, 10}, {10, 10}, {10, 30}, {0, 30}};

    @Test
    void convexPolygonIncludesItsEdgesAndCorners() {
        assertTrue(Geometry.inside(SQUARE, 5, 5));
        assertTrue(Geometry.inside(SQUARE, 10, 5), "on the right edge");
        assertTrue(Geometry.inside(SQUARE, 5, 0), "on the top edge");
        assertTrue(Geometry.inside(SQUARE, 0, 0), "a corner");
        assertTrue(Geometry.inside(SQUARE, 10, 10), "the opposite corner");
        assertFalse(Geometry.inside(SQUARE, 10.5, 5));
        assertFalse(Geometry.inside(SQUARE, -0.001, 5));
        assertFalse(Geometry.inside(SQUARE, 5, 10.001));
        double[][] reversed = {{0, 10}, {10, 10}, {10, 0}, {0, 0}};
        assertTrue(Geometry.inside(reversed, 5, 5), "winding does not matter");
        assertTrue(Geometry.inside(reversed, 0, 5));
        assertFalse(Geometry.inside(reversed, 11, 5));
    }

    @Test
    void concavePolygonExcludesItsNotch() {
        assertTrue(Geometry.inside(U, 15, 5), "the bar above the notch");
        assertTrue(Geometry.inside(U, 5, 20), "left leg");
        assertTrue(Geometry.inside(U, 25, 25), "right leg");
        assertFalse(Geometry.inside(U, 15, 20), "inside the notch");
        assertTrue(Geometry.inside(U, 15, 10), "on the notch's top edge");
        assertTrue(Geometry.inside(U, 10, 20), "on the notch's left edge");
        // The rightward ray from (5, 10) runs along the notch's top edge and through two corners: inside once.
        assertTrue(Geometry.inside(U, 5, 10));
        // From (25, 10) the ray meets only the right side.
        assertTrue(Geometry.inside(U, 25, 10));
        assertFalse(Geometry.inside(U, 35, 0), "right of the top corner, on the line of the top edge");
        assertFalse(Geometry.inside(U, -5, 10));
    }

    @Test
    void triangleSlantedEdge() {
        double[][] t = {{0, 0}, {8, 0}, {4, 8}};
        assertTrue(Geometry.inside(t, 4, 4));
        assertTrue(Geometry.inside(t, 2, 4), "on the edge y = 2x");
        assertTrue(Geometry.inside(t, 6, 4), "on the edge y = 16 - 2x");
        assertFalse(Geometry.inside(t, 1, 4));
        assertFalse(Geometry.inside(t, 7, 4));
        assertFalse(Geometry.inside(t, 4, 8.5));
    }

    @Test
    void sidesAreAsSeenOnTheScreen() {
        double[] a = {0, 100}, b = {320, 100};
        // Walking left to right along y = 100, the left hand points up the screen (smaller y).
        assertEquals(-1, Geometry.side(a, b, new double[] {50, 50}));
        assertEquals(1, Geometry.side(a, b, new double[] {50, 150}));
        assertEquals(0, Geometry.side(a, b, new double[] {50, 100}));
        assertEquals(0, Geometry.side(a, b, new double[] {500, 100}), "the infinite line");
        // Walking down the screen along x = 160, the left hand points right (larger x).
        double[] c = {160, 0}, d = {160, 240};
        assertEquals(-1, Geometry.side(c, d, new double[] {200, 50}));
        assertEquals(1, Geometry.side(c, d, new double[] {120, 50}));
    }

    @Test
    void movesThroughTheClosedSegment() {
        double[] a = {0, 0}, b = {10, 0};
        assertTrue(Geometry.passesThrough(a, b, new double[] {5, -1}, new double[] {5, 1}));
        assertFalse(Geometry.passesThrough(a, b, new double[] {15, -1}, new double[] {15, 1}), "beyond the end");
        assertTrue(Geometry.passesThrough(a, b, new double[] {10, -1}, new double[] {10, 1}), "through the end point");
        assertTrue(Geometry.passesThrough(a, b, new double[] {11, -1}, new double[] {9, 1}), "a slanted move through the end point");
        assertFalse(Geometry.passesThrough(a, b, new double[] {12, -1}, new double[] {10, 1}), "meets y = 0 at x = 11");
        assertTrue(Geometry.passesThrough(a, b, new double[] {-1, -1}, new double[] {1, 1}), "meets y = 0 at x = 0");
    }

    @Test
    void areaIsZeroOnlyForCollinearPoints() {
        assertEquals(200, Geometry.doubleArea(SQUARE));
        assertEquals(-200, Geometry.doubleArea(new double[][] {{0, 10}, {10, 10}, {10, 0}, {0, 0}}));
        assertEquals(0, Geometry.doubleArea(new double[][] {{0, 0}, {5, 5}, {10, 10}}));
        // U: 30x30 minus the 10x20 notch = 700.
        assertEquals(1400, Math.abs(Geometry.doubleArea(U)));
    }
}
