package io.resdet.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading oracle outputs (npz) and comparing tensors the way the issues state tolerances. */
public final class Arrays2 {
    private Arrays2() {}

    public static Map<String, NDArray> readNpz(NDManager m, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            NDList list = NDList.decode(m, in);
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (NDArray a : list) out.put(a.getName(), a);
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** max|a-b| / max|b|: the "relative" tolerance the parity requirements use. */
    public static double relMaxAbs(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new AssertionError("shape " + a.getShape() + " vs expected " + b.getShape());
        }
        float[] x = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        float[] y = b.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        double diff = 0, scale = 0;
        for (int i = 0; i < x.length; i++) {
            diff = Math.max(diff, Math.abs((double) x[i] - y[i]));
            scale = Math.max(scale, Math.abs((double) y[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }
}
