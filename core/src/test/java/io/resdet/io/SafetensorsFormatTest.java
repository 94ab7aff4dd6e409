package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.testing.Oracle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** safetensors written by Java and read by Python, and the other way round. */
class SafetensorsFormatTest {
    @TempDir
    static Path dir;

    static Path reference;
    static JsonNode expected;

    @BeforeAll
    static void writeReference() {
        reference = dir.resolve("all_dtypes.pth");
        expected = ExpectedTensors.parse(
                Oracle.run(Oracle.resource("/io/resdet/io/all_dtypes.py"), reference.toString(), "zip", "2"));
    }

    @Test
    void pythonReadsWhatJavaWrites() throws Exception {
        StateDict sd = Checkpoints.read(reference);
        Path out = dir.resolve("java.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("source", "résdet \"test\"");

        Checkpoints.writeSafetensors(sd, out, meta);

        String printed = Oracle.run(Oracle.resource("/io/resdet/io/safetensors_check.py"), out.toString(), reference.toString());
        assertEquals("{\"format\": \"pt\", \"source\": \"r\\u00e9sdet \\\"test\\\"\"}", printed.strip());
    }

    @Test
    void javaReadsWhatPythonWrites() throws Exception {
        Path file = dir.resolve("python.safetensors");
        JsonNode written = ExpectedTensors.parse(Oracle.run(
                Oracle.resource("/io/resdet/io/safetensors_write.py"), file.toString(), reference.toString()));

        assertEquals(Checkpoints.Format.SAFETENSORS, Checkpoints.detect(file));
        ExpectedTensors.assertMatches(written, Checkpoints.read(file));
        ExpectedTensors.assertMatches(expected, Checkpoints.read(file));
        assertEquals(Map.of("format", "pt"), Checkpoints.readSafetensorsMetadata(file));
    }

    /** A header whose length's low byte is 0x80 (the pickle PROTO opcode) is still safetensors. */
    @Test
    void headerLengthEndingIn0x80IsNotTakenForAPickle() throws Exception {
        StateDict sd = new StateDict().put("w", TensorData.ofFloats(new long[] {2}, new float[] {1f, 2f}));
        for (int pad = 0; pad < 256; pad++) {
            Path out = dir.resolve("pad" + pad + ".safetensors");
            Checkpoints.writeSafetensors(sd, out, Map.of("pad", "x".repeat(pad)));
            byte[] head = java.nio.file.Files.readAllBytes(out);
            if ((head[0] & 0xff) != 0x80) continue;
            assertEquals(Checkpoints.Format.SAFETENSORS, Checkpoints.detect(out));
            assertEquals(sd.get("w"), Checkpoints.read(out).get("w"));
            return;
        }
        throw new AssertionError("no padding gave a header length ending in 0x80");
    }

    @Test
    void javaRoundTripKeepsOrderBytesAndMetadata() throws Exception {
        StateDict sd = Checkpoints.read(reference);
        Path out = dir.resolve("roundtrip.safetensors");

        Checkpoints.writeSafetensors(sd, out, Map.of());

        StateDict back = Checkpoints.read(out);
        assertEquals(sd, back);
        ExpectedTensors.assertMatches(expected, back);
        assertEquals(Map.of(), Checkpoints.readSafetensorsMetadata(out));
    }
}
