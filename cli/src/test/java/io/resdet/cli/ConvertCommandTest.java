package io.resdet.cli;

import io.resdet.io.Checkpoints;
import io.resdet.io.StateDict;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `resdet convert`: torch.save → safetensors with identical tensors; architecture checks by key name. */
class ConvertCommandTest {
    @TempDir Path dir;

    @Test
    void convertsAndChecksArchitecture() throws Exception {
        Oracle.run(Oracle.resource("/oracle/resnet_forward.py"), "resnet18", dir.toString(), "1", "1", "32", "32", "pth");
        Path pth = dir.resolve("weights.pth"), st = dir.resolve("weights.safetensors");
        var r = CliRun.of("convert", "--arch", "resnet18", pth.toString(), st.toString());
        assertEquals(0, r.code(), r.err());
        StateDict a = Checkpoints.read(pth), b = Checkpoints.read(st);
        assertEquals(a.keys(), b.keys());
        for (String k : a.keys()) assertEquals(a.get(k), b.get(k), k);
        var bad = CliRun.of("convert", "--arch", "resnet50", pth.toString(), dir.resolve("x.safetensors").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("missing keys") && bad.err().contains("weights.pth"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }
}
