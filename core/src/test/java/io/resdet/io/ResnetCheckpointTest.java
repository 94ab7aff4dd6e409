package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.testing.Oracle;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real torchvision model's state dict, as the detector will load it. */
class ResnetCheckpointTest {
    private static final String SCRIPT = """
            import hashlib, json, sys
            import torch, torchvision
            torch.manual_seed(0)
            m = torchvision.models.resnet18()
            m.bn1.num_batches_tracked.fill_(5)
            sd = m.state_dict()
            torch.save(sd, sys.argv[1])
            def raw(t):
                return t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
            print(json.dumps({k: {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                                  "sha256": hashlib.sha256(raw(t)).hexdigest(),
                                  "first": t.reshape(-1)[:3].tolist()} for k, t in sd.items()}))
            """;

    @TempDir
    Path dir;

    @Test
    void readsTorchvisionResnet18InKeyOrderWithExactValues() throws Exception {
        Path file = dir.resolve("resnet18.pth");
        JsonNode expected = ExpectedTensors.parse(Oracle.run(SCRIPT, file.toString()));

        StateDict sd = Checkpoints.read(file);

        assertEquals(ExpectedTensors.keys(expected), sd.keys());
        assertEquals(122, sd.size()); // 62 parameters + 60 batch-norm buffers
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TensorData t = sd.get(e.getKey());
            JsonNode x = e.getValue();
            assertEquals(x.get("dtype").asText(), t.dtype().torchDtypeName(), e.getKey());
            long[] shape = new long[x.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = x.get("shape").get(i).asLong();
            assertArrayEquals(shape, t.shape(), e.getKey());
            assertEquals(x.get("sha256").asText(), sha256(t), e.getKey());
            double[] v = t.toDoubleArray();
            for (int i = 0; i < x.get("first").size(); i++) {
                assertEquals(x.get("first").get(i).asDouble(), v[i], 0.0, e.getKey() + "[" + i + "]");
            }
        }
        assertArrayEquals(new long[] {64, 3, 7, 7}, sd.get("conv1.weight").shape());
        assertArrayEquals(new long[] {5}, sd.get("bn1.num_batches_tracked").toLongArray());
        assertArrayEquals(new long[] {1000, 512}, sd.get("fc.weight").shape());
    }

    private static String sha256(TensorData t) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(t.data());
        return HexFormat.of().formatHex(md.digest());
    }
}
