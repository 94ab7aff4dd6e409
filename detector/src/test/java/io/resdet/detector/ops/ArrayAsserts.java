package io.resdet.detector.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Compares arrays with the oracle's (see {@link io.resdet.testing.OracleArrays} for running it). */
final class ArrayAsserts {
    private ArrayAsserts() {}

    /** Asserts same shape and |a - e| <= atol + rtol |e| elementwise, reporting the worst element. */
    static void assertClose(NDArray expected, NDArray actual, double rtol, double atol, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
        float[] e = expected.toType(DataType.FLOAT32, false).toFloatArray();
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs((double) a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
            if (Double.isNaN(a[i]) != Double.isNaN(e[i]) || err > worst) {
                worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                at = i;
            }
        }
        assertTrue(at < 0, () -> what + ": element " + at_(e, a) + " differs");
    }

    private static String at_(float[] e, float[] a) {
        double worst = -1;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs((double) a[i] - e[i]);
            if (Double.isNaN(d) || d > worst) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                at = i;
            }
        }
        return at + " (expected " + e[at] + ", got " + a[at] + ", |diff| " + worst + ")";
    }

    static void assertExactlyEqual(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
        if (expected.getDataType().isFloating()) {
            assertArrayEquals(expected.toType(DataType.FLOAT32, false).toFloatArray(),
                    actual.toType(DataType.FLOAT32, false).toFloatArray(), what);
        } else {
            assertArrayEquals(expected.toType(DataType.INT64, false).toLongArray(),
                    actual.toType(DataType.INT64, false).toLongArray(), what);
        }
    }
}
