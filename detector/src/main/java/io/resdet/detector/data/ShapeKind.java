package io.resdet.detector.data;

import io.resdet.train.SplitMix;

import java.util.Arrays;
import java.util.List;

/**
 * The classes of the generated set, in label order. Each keeps what tells it apart under any draw: ellipses are at
 * most 0.6 as wide as long (never near-circles); rectangles stay within 10° of upright and diamonds within 10° of
 * standing on a corner (so a square and a diamond differ by at least 25° of turn); the cross stays a plus sign.
 * {@code size} is the long side of the unrotated shape's box.
 */
enum ShapeKind {
    CIRCLE, RECTANGLE, TRIANGLE, ELLIPSE, DIAMOND, STAR, CROSS, HEXAGON;

    static final int COUNT = values().length;

    static List<String> names(int classes) {
        return Arrays.stream(values()).limit(classes).map(ShapeKind::label).toList();
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A shape of this kind centred on the origin, its proportions and turn drawn from {@code r}. */
    Outline make(double size, SplitMix r) {
        double h = size / 2;
        return switch (this) {
            case CIRCLE -> Outline.Ellipse.of(h, h, 0);
            case ELLIPSE -> Outline.Ellipse.of(h, h * between(r, 0.35, 0.6), r.nextDouble() * Math.PI);
            case RECTANGLE -> {
                double w = h, t = h * between(r, 0.45, 1.0);
                if (r.nextBoolean()) {
                    double s = w;
                    w = t;
                    t = s;
                }
                yield Outline.Polygon.rotated(new double[] {-w, w, w, -w}, new double[] {-t, -t, t, t}, tilt(r, 10));
            }
            case DIAMOND -> {
                double w = h, t = h * between(r, 0.6, 1.0);
                if (r.nextBoolean()) {
                    double s = w;
                    w = t;
                    t = s;
                }
                yield Outline.Polygon.rotated(new double[] {0, w, 0, -w}, new double[] {-t, 0, t, 0}, tilt(r, 10));
            }
            case TRIANGLE -> {
                double[] radii = new double[3], angles = new double[3];
                for (int i = 0; i < 3; i++) {
                    radii[i] = h * between(r, 0.9, 1.0);
                    angles[i] = i * 2 * Math.PI / 3 + (r.nextDouble() - 0.5) * 0.3;
                }
                yield Outline.Polygon.polar(radii, angles, r.nextDouble() * 2 * Math.PI);
            }
            case STAR -> {
                double inner = between(r, 0.4, 0.5);
                double[] radii = new double[10], angles = new double[10];
                for (int i = 0; i < 10; i++) {
                    radii[i] = i % 2 == 0 ? h : h * inner;
                    angles[i] = i * Math.PI / 5;
                }
                yield Outline.Polygon.polar(radii, angles, r.nextDouble() * 2 * Math.PI);
            }
            case HEXAGON -> {
                double[] radii = new double[6], angles = new double[6];
                for (int i = 0; i < 6; i++) {
                    radii[i] = h;
                    angles[i] = i * Math.PI / 3;
                }
                yield Outline.Polygon.polar(radii, angles, r.nextDouble() * Math.PI / 3);
            }
            case CROSS -> {
                double a = h * between(r, 0.28, 0.38);
                double[] us = {-a, a, a, h, h, a, a, -a, -a, -h, -h, -a};
                double[] vs = {-h, -h, -a, -a, a, a, h, h, a, a, -a, -a};
                yield Outline.Polygon.rotated(us, vs, tilt(r, 10));
            }
        };
    }

    private static double between(SplitMix r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private static double tilt(SplitMix r, double degrees) {
        return Math.toRadians((r.nextDouble() * 2 - 1) * degrees);
    }
}
