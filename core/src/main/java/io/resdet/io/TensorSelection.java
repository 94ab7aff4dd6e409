package io.resdet.io;

import io.resdet.io.Pickled.Opaque;
import io.resdet.io.Pickled.TensorRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds the state dict inside whatever object a checkpoint pickled. */
final class TensorSelection {
    private static final String[] WRAPPER_KEYS = {"state_dict", "model"};
    private static final String DATA_PARALLEL_PREFIX = "module.";

    private TensorSelection() {}

    /**
     * The tensors of the state dict in {@code top}, in pickle order: {@code top} itself or its
     * {@code state_dict}/{@code model} entry, with non-tensor entries dropped and a {@code module.} prefix
     * shared by every key removed.
     */
    static Map<String, TensorRef> select(Path file, Object top) throws CheckpointException {
        if (!(top instanceof Map<?, ?> dict)) {
            throw new CheckpointException(file, "not a state dict: the checkpoint holds " + Unpickler.describe(top)
                    + ", not a dict of tensors");
        }
        Map<?, ?> chosen = dict;
        for (String key : WRAPPER_KEYS) {
            if (dict.get(key) instanceof Map<?, ?> inner && countTensors(inner) > 0) {
                chosen = inner;
                break;
            }
        }
        Map<String, TensorRef> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : chosen.entrySet()) {
            if (!(e.getKey() instanceof String name)) continue;
            if (e.getValue() instanceof TensorRef t) {
                tensors.put(name, t);
            } else if (e.getValue() instanceof Opaque o && isTorchTensorKind(o)) {
                throw new CheckpointException(file, "tensor '" + name + "' is stored as " + o.type
                        + ", which this reader does not support (quantized, sparse or subclass tensor)");
            }
        }
        if (tensors.isEmpty() && !chosen.isEmpty()) {
            throw new CheckpointException(file, "not a state dict: no tensors among the top-level keys "
                    + preview(chosen));
        }
        return stripDataParallel(tensors);
    }

    private static long countTensors(Map<?, ?> m) {
        return m.values().stream().filter(v -> v instanceof TensorRef).count();
    }

    private static boolean isTorchTensorKind(Opaque o) {
        return o.type.module().startsWith("torch") && o.type.name().startsWith("_rebuild");
    }

    private static Map<String, TensorRef> stripDataParallel(Map<String, TensorRef> tensors) {
        if (tensors.isEmpty() || !tensors.keySet().stream().allMatch(k -> k.startsWith(DATA_PARALLEL_PREFIX))) {
            return tensors;
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k.substring(DATA_PARALLEL_PREFIX.length()), v));
        return out;
    }

    private static String preview(Map<?, ?> m) {
        List<String> keys = new ArrayList<>();
        for (Object k : m.keySet()) {
            if (keys.size() == 5) {
                keys.add("...");
                break;
            }
            keys.add(String.valueOf(k));
        }
        return keys.toString();
    }
}
