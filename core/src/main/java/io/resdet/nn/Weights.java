package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.resdet.io.CheckpointException;
import io.resdet.io.Checkpoints;
import io.resdet.io.DType;
import io.resdet.io.StateDict;
import io.resdet.io.TensorData;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves weights between checkpoint files ({@code .pth}/{@code .pt} written by {@code torch.save}, or
 * {@code .safetensors}) and modules, with torchvision's key names.
 */
public final class Weights {
    private Weights() {}

    /**
     * Loads {@code file} into {@code module}. Strict: any missing, unexpected or mis-shaped key fails with
     * a one-line {@link CheckpointException} naming the file and the keys.
     */
    public static StateDictLoader.Report load(Module module, Path file, boolean strict) throws CheckpointException {
        return load(module, file, Checkpoints.read(file), strict);
    }

    /** As above, for the tensors {@code sd} already read from {@code file} (renamed, say); errors name the file. */
    public static StateDictLoader.Report load(Module module, Path file, StateDict sd, boolean strict) throws CheckpointException {
        try (NDManager tmp = module.getManager().newSubManager()) {
            return StateDictLoader.load(module, toArrays(tmp, sd), strict);
        } catch (StateDictLoader.MismatchException e) {
            throw new CheckpointException(file, e.getMessage());
        }
    }

    /** Floating tensors become float32, integer ones int64, booleans boolean. */
    public static Map<String, NDArray> toArrays(NDManager m, StateDict sd) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String key : sd.keys()) {
            TensorData t = sd.get(key);
            Shape shape = new Shape(t.shape());
            NDArray a;
            if (t.dtype().isFloatingPoint()) {
                a = m.create(direct(t.asFloat32().data()), shape, DataType.FLOAT32);
            } else if (t.dtype() == DType.BOOL) {
                a = m.create(direct(t.data()), shape, DataType.BOOLEAN);
            } else {
                a = m.create(t.toLongArray(), shape);
            }
            a.setName(key);
            out.put(key, a);
        }
        return out;
    }

    /** The module's tensors as a state dict (float32 / int64), in torch's key order. */
    public static StateDict export(Module module) {
        StateDict sd = new StateDict();
        module.namedTensors().forEach((key, p) -> {
            NDArray a = p.get();
            long[] shape = a.getShape().getShape();
            if (a.getDataType() == DataType.INT64) {
                sd.put(key, TensorData.ofLongs(shape, a.toLongArray()));
            } else {
                sd.put(key, TensorData.ofFloats(shape, a.toType(DataType.FLOAT32, false).toFloatArray()));
            }
        });
        return sd;
    }

    public static void exportSafetensors(Module module, Path file, Map<String, String> metadata) throws CheckpointException {
        Checkpoints.writeSafetensors(export(module), file, metadata);
    }

    private static ByteBuffer direct(ByteBuffer src) {
        ByteBuffer b = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
        b.put(src.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        b.flip();
        return b;
    }
}
