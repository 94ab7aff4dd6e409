package io.resdet.detector.data;

/**
 * A filled shape in continuous pixel coordinates: an ellipse (a circle when both radii agree) or a polygon
 * (even–odd rule, so the concave star and cross work). Built centred on the origin, then moved into place.
 */
sealed interface Outline {
    boolean contains(double x, double y);

    /** {@code {x1, y1, x2, y2}}, exact. */
    double[] bounds();

    Outline moved(double dx, double dy);

    record Ellipse(double cx, double cy, double a, double b, double cos, double sin) implements Outline {
        static Ellipse of(double a, double b, double angle) {
            return new Ellipse(0, 0, a, b, StrictMath.cos(angle), StrictMath.sin(angle));
        }

        @Override
        public boolean contains(double x, double y) {
            double dx = x - cx, dy = y - cy;
            double u = (cos * dx + sin * dy) / a, v = (-sin * dx + cos * dy) / b;
            return u * u + v * v <= 1;
        }

        @Override
        public double[] bounds() {
            double hx = Math.sqrt(a * a * cos * cos + b * b * sin * sin), hy = Math.sqrt(a * a * sin * sin + b * b * cos * cos);
            return new double[] {cx - hx, cy - hy, cx + hx, cy + hy};
        }

        @Override
        public Outline moved(double dx, double dy) {
            return new Ellipse(cx + dx, cy + dy, a, b, cos, sin);
        }
    }

    record Polygon(double[] xs, double[] ys) implements Outline {
        /** Points given in polar form around the origin, turned by {@code angle}. */
        static Polygon polar(double[] radii, double[] angles, double angle) {
            double[] xs = new double[radii.length], ys = new double[radii.length];
            for (int i = 0; i < radii.length; i++) {
                xs[i] = radii[i] * StrictMath.cos(angles[i] + angle);
                ys[i] = radii[i] * StrictMath.sin(angles[i] + angle);
            }
            return new Polygon(xs, ys);
        }

        /** Points given in local coordinates, turned by {@code angle}. */
        static Polygon rotated(double[] us, double[] vs, double angle) {
            double c = StrictMath.cos(angle), s = StrictMath.sin(angle);
            double[] xs = new double[us.length], ys = new double[us.length];
            for (int i = 0; i < us.length; i++) {
                xs[i] = c * us[i] - s * vs[i];
                ys[i] = s * us[i] + c * vs[i];
            }
            return new Polygon(xs, ys);
        }

        @Override
        public boolean contains(double x, double y) {
            boolean in = false;
            for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
                if ((ys[i] > y) != (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) in = !in;
            }
            return in;
        }

        @Override
        public double[] bounds() {
            double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (int i = 0; i < xs.length; i++) {
                b[0] = Math.min(b[0], xs[i]);
                b[1] = Math.min(b[1], ys[i]);
                b[2] = Math.max(b[2], xs[i]);
                b[3] = Math.max(b[3], ys[i]);
            }
            return b;
        }

        @Override
        public Outline moved(double dx, double dy) {
            double[] x = xs.clone(), y = ys.clone();
            for (int i = 0; i < x.length; i++) {
                x[i] += dx;
                y[i] += dy;
            }
            return new Polygon(x, y);
        }
    }
}
