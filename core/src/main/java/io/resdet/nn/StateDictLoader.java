package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies named tensors into a module's slots, as {@code load_state_dict} does: strict by default, every
 * missing, unexpected or mis-shaped key reported by name. {@code num_batches_tracked} is ignored both ways
 * (torchvision's frozen-BN checkpoints carry it; resdet never needs it).
 */
public final class StateDictLoader {
    private StateDictLoader() {}

    /** What a load found. */
    public record Report(List<String> missing, List<String> unexpected, List<String> mismatched) {
        public boolean clean() {
            return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
        }

        /** One line, keys by name (the first few of each kind, then a count). */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) parts.add("missing keys " + head(missing));
            if (!unexpected.isEmpty()) parts.add("unexpected keys " + head(unexpected));
            if (!mismatched.isEmpty()) parts.add("mis-shaped " + head(mismatched));
            return String.join("; ", parts);
        }

        private static String head(List<String> keys) {
            int n = Math.min(keys.size(), 6);
            String s = String.join(", ", keys.subList(0, n));
            return keys.size() > n ? s + " … (" + keys.size() + " in all)" : s;
        }
    }

    public static final class MismatchException extends IllegalArgumentException {
        private final Report report;

        MismatchException(Report report) {
            super("checkpoint does not fit the model: " + report.describe());
            this.report = report;
        }

        public Report report() {
            return report;
        }
    }

    /**
     * Loads {@code tensors} into {@code module}. In strict mode any mismatch throws {@link MismatchException}
     * and nothing is changed; otherwise the matching keys load and the report lists the rest.
     */
    public static Report load(Module module, Map<String, NDArray> tensors, boolean strict) {
        Map<String, Param> slots = module.namedTensors();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        Map<Param, NDArray> plan = new LinkedHashMap<>();
        for (Map.Entry<String, Param> e : slots.entrySet()) {
            String key = e.getKey();
            NDArray src = tensors.get(key);
            if (src == null) {
                // Older checkpoints lack BN's step counter; it never changes the computation (fixed momentum).
                if (!key.endsWith("num_batches_tracked")) missing.add(key);
                continue;
            }
            Shape want = e.getValue().get().getShape();
            if (!want.equals(src.getShape())) {
                mismatched.add(key + " " + src.getShape() + " vs model " + want);
                continue;
            }
            plan.put(e.getValue(), src);
        }
        for (String key : tensors.keySet()) {
            if (!slots.containsKey(key) && !key.endsWith("num_batches_tracked")) unexpected.add(key);
        }
        Report report = new Report(missing, unexpected, mismatched);
        if (strict && !report.clean()) throw new MismatchException(report);
        plan.forEach((slot, src) -> slot.set(copyLike(module.getManager(), slot.get(), src)));
        return report;
    }

    private static NDArray copyLike(NDManager m, NDArray like, NDArray src) {
        DataType type = like.getDataType();
        NDArray converted = src.getDataType() == type ? src : src.toType(type, false);
        NDArray out = m.create(converted.getShape(), type, like.getDevice());
        out.set(converted.toByteBuffer());
        if (converted != src) converted.close();
        return out;
    }
}
