package io.resdet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.io.CheckpointException;
import io.resdet.io.Checkpoints;
import io.resdet.io.StateDict;
import io.resdet.io.TensorData;
import io.resdet.nn.StateDictLoader;
import io.resdet.nn.Weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resumable training state in a folder: {@code checkpoint.safetensors} holds the model's tensors under their
 * torch names plus the optimizer's under {@code optimizer.}; {@code checkpoint.json} holds the iteration, seed,
 * sampling-RNG state, optimizer step count and schedule state. The weights file alone loads as a plain model.
 */
public final class TrainCheckpoint {
    public static final String WEIGHTS = "checkpoint.safetensors";
    public static final String META = "checkpoint.json";
    private static final String OPT = "optimizer.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainCheckpoint() {}

    public static void save(Path dir, Trainer t) throws IOException {
        Files.createDirectories(dir);
        StateDict sd = Weights.export(t.model());
        t.optimizer().state().forEach((k, a) -> sd.put(OPT + k,
                TensorData.ofFloats(a.getShape().getShape(), a.toType(DataType.FLOAT32, false).toFloatArray())));
        Checkpoints.writeSafetensors(sd, dir.resolve(WEIGHTS), Map.of("format", "resdet-train"));
        ObjectNode meta = JSON.createObjectNode();
        meta.put("iteration", t.iteration());
        meta.put("seed", t.seed());
        meta.put("rng_state", t.rng().state());
        meta.put("optimizer_steps", t.optimizer().steps());
        ObjectNode sched = meta.putObject("schedule");
        t.schedule().state().forEach(sched::put);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(META).toFile(), meta);
    }

    /** Restores {@code t} (built with the same model architecture, optimizer kind and seed) from {@code dir}. */
    public static void load(Path dir, Trainer t) throws IOException {
        Path metaFile = dir.resolve(META);
        JsonNode meta;
        try {
            meta = JSON.readTree(metaFile.toFile());
        } catch (IOException e) {
            throw new IOException(metaFile + ": " + e.getMessage(), e);
        }
        long seed = required(meta, metaFile, "seed");
        if (seed != t.seed()) throw new IOException(metaFile + ": seed " + seed + " differs from this run's " + t.seed());
        StateDict sd;
        try {
            sd = Checkpoints.read(dir.resolve(WEIGHTS));
        } catch (CheckpointException e) {
            throw new IOException(e.getMessage(), e);
        }
        try (NDManager tmp = t.model().getManager().newSubManager()) {
            Map<String, NDArray> all = Weights.toArrays(tmp, sd);
            Map<String, NDArray> model = new LinkedHashMap<>(), opt = new LinkedHashMap<>();
            all.forEach((k, a) -> {
                if (k.startsWith(OPT)) opt.put(k.substring(OPT.length()), a);
                else model.put(k, a);
            });
            try {
                StateDictLoader.load(t.model(), model, true);
            } catch (StateDictLoader.MismatchException e) {
                throw new IOException(dir.resolve(WEIGHTS) + ": " + e.getMessage(), e);
            }
            t.optimizer().loadState(opt, required(meta, metaFile, "optimizer_steps"));
        }
        t.setIteration(required(meta, metaFile, "iteration"));
        t.rng().setState(required(meta, metaFile, "rng_state"));
        Map<String, Long> sched = new LinkedHashMap<>();
        meta.path("schedule").fields().forEachRemaining(e -> sched.put(e.getKey(), e.getValue().asLong()));
        t.schedule().loadState(sched);
    }

    private static long required(JsonNode meta, Path file, String field) throws IOException {
        JsonNode n = meta.get(field);
        if (n == null || !n.canConvertToLong()) throw new IOException(file + ": missing or non-integer field '" + field + "'");
        return n.asLong();
    }
}
