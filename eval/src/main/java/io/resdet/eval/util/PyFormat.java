package io.resdet.eval.util;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number formatting as Python's {@code '{:0.3f}'}: the exact binary value, rounded half-even. */
public final class PyFormat {
    private PyFormat() {
    }

    /**
     * Java's {@code %.3f} rounds the shortest decimal string half-up (0.1235 → 0.124) where Python
     * rounds the exact double (0.12349999… → 0.123); summaries must read the same as pycocotools'.
     */
    public static String fixed(double x, int digits) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        String s = new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        if (x < 0 || (x == 0 && 1 / x < 0)) {
            if (!s.startsWith("-")) s = "-" + s;
        }
        return s;
    }
}
