package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Compares a state dict with what an oracle script printed: {key: {dtype, shape, hex, values}}. */
final class ExpectedTensors {
    private ExpectedTensors() {}

    static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> keys(JsonNode expected) {
        List<String> keys = new ArrayList<>();
        expected.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Same keys in the same order; per tensor the same dtype, shape, bytes and decoded values. */
    static void assertMatches(JsonNode expected, StateDict actual) {
        assertEquals(keys(expected), actual.keys());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode x = e.getValue();
            TensorData t = actual.get(key);
            assertEquals(x.get("dtype").asText(), t.dtype().torchDtypeName(), key);
            long[] shape = new long[x.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = x.get("shape").get(i).asLong();
            assertArrayEquals(shape, t.shape(), key);
            assertEquals(x.get("hex").asText(), hex(t), key);
            JsonNode values = x.get("values");
            assertEquals(values.size(), t.numel(), key);
            if (t.dtype().isFloatingPoint()) {
                double[] v = t.toDoubleArray();
                for (int i = 0; i < v.length; i++) {
                    // Bit-exact: the oracle prints float64 reprs, which round-trip exactly.
                    assertEquals(Double.doubleToLongBits(values.get(i).asDouble()), Double.doubleToLongBits(v[i]),
                            key + "[" + i + "]");
                }
            } else {
                long[] v = t.toLongArray();
                for (int i = 0; i < v.length; i++) {
                    long want = values.get(i).isBoolean() ? (values.get(i).asBoolean() ? 1 : 0) : values.get(i).asLong();
                    assertEquals(want, v[i], key + "[" + i + "]");
                }
            }
        }
    }

    static String hex(TensorData t) {
        byte[] b = new byte[(int) t.byteSize()];
        t.data().get(b);
        return HexFormat.of().formatHex(b);
    }
}
