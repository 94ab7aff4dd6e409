package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.resdet.io.Pickled.Opaque;
import io.resdet.io.Pickled.Tuple;
import io.resdet.testing.Oracle;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pickle VM against CPython's own pickler at every protocol, 0 to 5. */
class UnpicklerTest {
    private static final String SCRIPT = """
            import argparse, base64, collections, pickle
            shared = [1, 2]
            obj = {
                "s": "h\\u00e9llo \\u2603",
                "i": [0, 1, -1, 255, 256, 65535, 65536, -2**31, 2**31 - 1, 2**31, 2**63 - 1, -2**63, 2**64, -2**70],
                "f": [1.5, -0.0, 1e300, 0.1],
                "t": (1, (2,), (3, 4), (5, 6, 7), ()),
                "b": [True, False, None],
                "od": collections.OrderedDict([("z", 1), ("a", 2)]),
                "ns": argparse.Namespace(lr=0.1),
                "shared": shared,
                "shared2": shared,
                "long_list": list(range(1200)),
            }
            for proto in range(6):
                print(base64.b64encode(pickle.dumps(obj, protocol=proto)).decode())
            """;

    @Test
    void decodesCPythonPicklesOfEveryProtocol() throws Exception {
        List<String> lines = Oracle.run(SCRIPT).lines().toList();
        assertEquals(6, lines.size());
        for (int proto = 0; proto < 6; proto++) {
            byte[] pickle = Base64.getDecoder().decode(lines.get(proto));
            Path name = Path.of("proto" + proto + ".pkl");
            Object result = new Unpickler(name, new PickleInput(name, new ByteArrayInputStream(pickle), pickle.length),
                    pid -> pid).load();

            String where = "protocol " + proto;
            Map<?, ?> m = assertInstanceOf(Map.class, result, where);
            assertEquals(List.of("s", "i", "f", "t", "b", "od", "ns", "shared", "shared2", "long_list"),
                    new ArrayList<>(m.keySet()), where);
            assertEquals("h\u00e9llo \u2603", m.get("s"), where);
            assertEquals(Arrays.asList(0L, 1L, -1L, 255L, 256L, 65535L, 65536L, -(1L << 31), (1L << 31) - 1, 1L << 31,
                    Long.MAX_VALUE, Long.MIN_VALUE, BigInteger.TWO.pow(64), BigInteger.TWO.pow(70).negate()), m.get("i"), where);
            List<?> floats = (List<?>) m.get("f");
            assertEquals(List.of(1.5, -0.0, 1e300, 0.1), floats, where);
            assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits((Double) floats.get(1)), where);
            assertEquals(new Tuple(List.of(1L, new Tuple(List.of(2L)), new Tuple(List.of(3L, 4L)),
                    new Tuple(List.of(5L, 6L, 7L)), new Tuple(List.of()))), m.get("t"), where);
            assertEquals(Arrays.asList(true, false, null), m.get("b"), where);
            Map<?, ?> od = assertInstanceOf(Map.class, m.get("od"), where);
            assertEquals(List.of("z", "a"), new ArrayList<>(od.keySet()), where);
            assertEquals(Map.of("z", 1L, "a", 2L), od, where);
            assertEquals("argparse.Namespace", ((Opaque) m.get("ns")).type.toString(), where);
            assertEquals(List.of(1L, 2L), m.get("shared"), where);
            assertSame(m.get("shared"), m.get("shared2"), where);
            List<Long> range = new ArrayList<>();
            for (long i = 0; i < 1200; i++) range.add(i);
            assertEquals(range, m.get("long_list"), where);
        }
    }
}
