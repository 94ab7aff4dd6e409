package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.testing.Oracle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training checkpoints that wrap the state dict, and DataParallel's {@code module.} prefix. */
class NestedCheckpointTest {
    private static final String SCRIPT = """
            import argparse, collections, json, os, sys
            import torch
            d = sys.argv[1]
            torch.manual_seed(0)
            net = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
            opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
            net(torch.randn(4, 3)).sum().backward()
            opt.step()
            sd = net.state_dict()
            torch.save({"model": sd, "epoch": 3, "optimizer": opt.state_dict(),
                        "args": argparse.Namespace(lr=0.1, arch="resnet18")}, os.path.join(d, "train.pth"))
            dp = collections.OrderedDict(("module." + k, v) for k, v in sd.items())
            torch.save({"state_dict": dp, "best_acc1": torch.tensor(0.5)}, os.path.join(d, "dp_legacy.pth"),
                       _use_new_zipfile_serialization=False)
            torch.save(net.state_dict(keep_vars=True), os.path.join(d, "params.pth"))
            mixed = collections.OrderedDict([("module.a", sd["0.bias"]), ("b", sd["0.bias"]), ("epoch", 3)])
            torch.save(mixed, os.path.join(d, "mixed.pth"))
            def raw(t):
                return t.detach().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes().hex()
            print(json.dumps({k: {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                                  "hex": raw(t), "values": t.reshape(-1).tolist()} for k, t in sd.items()}))
            """;

    @TempDir
    static Path dir;

    static JsonNode expected;

    @BeforeAll
    static void writeCheckpoints() {
        expected = ExpectedTensors.parse(Oracle.run(SCRIPT, dir.toString()));
    }

    @Test
    void unwrapsModelEntryAndSkipsEpochOptimizerAndArgs() throws Exception {
        ExpectedTensors.assertMatches(expected, Checkpoints.read(dir.resolve("train.pth")));
    }

    @Test
    void unwrapsStateDictEntryAndStripsModulePrefixInLegacyFormat() throws Exception {
        ExpectedTensors.assertMatches(expected, Checkpoints.read(dir.resolve("dp_legacy.pth")));
    }

    @Test
    void readsParametersSavedWithKeepVars() throws Exception {
        ExpectedTensors.assertMatches(expected, Checkpoints.read(dir.resolve("params.pth")));
    }

    @Test
    void keepsModulePrefixUnlessEveryKeyHasIt() throws Exception {
        StateDict sd = Checkpoints.read(dir.resolve("mixed.pth"));

        assertEquals(List.of("module.a", "b"), sd.keys());
        assertArrayEquals(sd.get("b").toFloatArray(), sd.get("module.a").toFloatArray());
        assertEquals(expected.get("0.bias").get("hex").asText(), ExpectedTensors.hex(sd.get("b")));
    }
}
