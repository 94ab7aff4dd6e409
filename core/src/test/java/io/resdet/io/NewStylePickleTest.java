package io.resdet.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.testing.Oracle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pickle shapes that newer torch versions write but the oracle's torch 1.13 does not: untyped storages,
 * dtype objects as storage types, {@code _rebuild_tensor_v2} with metadata, tensor subclasses and parameters
 * with Python state. The file is assembled by hand from real torch globals, in torch 2.x's zip layout.
 */
class NewStylePickleTest {
    private static final String SCRIPT = """
            import collections, io, json, pickle, sys, zipfile
            import torch, torch._tensor, torch._utils

            class Storage:
                def __init__(self, pid):
                    self.pid = pid

            class Call:
                def __init__(self, fn, args):
                    self.fn, self.args = fn, args
                def __reduce__(self):
                    return (self.fn, self.args)

            class Pickler(pickle.Pickler):
                def persistent_id(self, obj):
                    return obj.pid if isinstance(obj, Storage) else None

            def with_state(data, requires_grad, hooks, state):
                raise AssertionError("never called")
            with_state.__module__, with_state.__qualname__ = "torch._utils", "_rebuild_parameter_with_state"
            torch._utils._rebuild_parameter_with_state = with_state

            torch.manual_seed(0)
            u8 = torch.arange(6, dtype=torch.uint8)
            half = torch.randn(4).half()
            f32 = torch.randn(4)
            untyped = Storage(("storage", torch.UntypedStorage, "0", "cpu", 6))
            by_dtype = Storage(("storage", torch.float16, "1", "cpu", 4))
            typed = Storage(("storage", torch.FloatStorage, "2", "cpu", 4))
            v2 = torch._utils._rebuild_tensor_v2
            sd = collections.OrderedDict()
            sd["untyped"] = Call(v2, (untyped, 0, torch.Size([2, 3]), (3, 1), False, collections.OrderedDict()))
            sd["by_dtype"] = Call(v2, (by_dtype, 1, (3,), (1,), False, collections.OrderedDict(), {"m": 1}))
            sd["subclass"] = Call(torch._tensor._rebuild_from_type_v2,
                                  (v2, torch.Tensor, (typed, 0, (2, 2), (1, 2), False, collections.OrderedDict()), {"a": 5}))
            sd["param"] = Call(with_state, (Call(v2, (typed, 2, (2,), (1,), False, collections.OrderedDict())),
                                            True, collections.OrderedDict(), {"x": 1}))
            buf = io.BytesIO()
            Pickler(buf, protocol=4).dump(sd)
            with zipfile.ZipFile(sys.argv[1], "w") as z:
                z.writestr("archive/data.pkl", buf.getvalue())
                z.writestr("archive/byteorder", "little")
                z.writestr("archive/data/0", u8.numpy().tobytes())
                z.writestr("archive/data/1", half.numpy().tobytes())
                z.writestr("archive/data/2", f32.numpy().tobytes())
                z.writestr("archive/version", "3\\n")
            expected = collections.OrderedDict([("untyped", u8.reshape(2, 3)), ("by_dtype", half[1:]),
                                                ("subclass", f32.reshape(2, 2).t()), ("param", f32[2:])])
            def raw(t):
                return t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes().hex()
            def values(t):
                return (t.float() if t.dtype == torch.float16 else t).reshape(-1).tolist()
            print(json.dumps({k: {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                                  "hex": raw(t), "values": values(t)} for k, t in expected.items()}))
            """;

    @TempDir
    Path dir;

    @Test
    void readsTorch2StyleTensorsAndStorages() throws Exception {
        Path file = dir.resolve("new_style.pt");
        JsonNode expected = ExpectedTensors.parse(Oracle.run(SCRIPT, file.toString()));

        ExpectedTensors.assertMatches(expected, Checkpoints.read(file));
    }
}
