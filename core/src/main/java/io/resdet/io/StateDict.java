package io.resdet.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiPredicate;

/** Named tensors in file order, as {@code model.state_dict()} holds them. Mutable; not thread-safe. */
public final class StateDict {
    private final LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();

    public StateDict() {}

    public StateDict(Map<String, TensorData> tensors) {
        this.tensors.putAll(tensors);
    }

    /** @throws NoSuchElementException naming the key when it is absent */
    public TensorData get(String key) {
        TensorData t = tensors.get(key);
        if (t == null) throw new NoSuchElementException("no tensor '" + key + "' in state dict");
        return t;
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    /** Adds or replaces; a new key goes last, a replaced one keeps its place. */
    public StateDict put(String key, TensorData tensor) {
        tensors.put(key, tensor);
        return this;
    }

    /** Removes and returns the tensor, or null when absent. */
    public TensorData remove(String key) {
        return tensors.remove(key);
    }

    /** Keys in order (a copy). */
    public List<String> keys() {
        return new ArrayList<>(tensors.keySet());
    }

    public int size() {
        return tensors.size();
    }

    /** Read-only view in order. */
    public Map<String, TensorData> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    /** The entries whose key starts with {@code prefix}, with the prefix removed; others are dropped. */
    public StateDict withoutPrefix(String prefix) {
        StateDict out = new StateDict();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }

    /** The entries for which {@code keep} is true, in order. */
    public StateDict filter(BiPredicate<String, TensorData> keep) {
        StateDict out = new StateDict();
        tensors.forEach((k, v) -> {
            if (keep.test(k, v)) out.put(k, v);
        });
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateDict s && new ArrayList<>(s.tensors.entrySet()).equals(new ArrayList<>(tensors.entrySet()));
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return "StateDict" + tensors.keySet();
    }
}
