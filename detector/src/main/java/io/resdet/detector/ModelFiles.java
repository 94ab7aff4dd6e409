package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.resdet.io.CheckpointException;
import io.resdet.io.Checkpoints;
import io.resdet.io.DType;
import io.resdet.io.StateDict;
import io.resdet.io.TensorData;
import io.resdet.nn.Weights;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Trained detector files: safetensors with torchvision's key names (so torchvision loads the weights too) and
 * the {@link DetectorSpec} in the metadata (so resdet rebuilds the network from the file alone).
 */
public final class ModelFiles {
    public static final String FORMAT = "resdet-detector";

    private ModelFiles() {}

    public static void write(FasterRCNN model, DetectorSpec spec, Path file) throws CheckpointException {
        write(model, spec, file, false);
    }

    /**
     * @param half store floating tensors as float16 (half the size; loading widens them back to float32, which
     *     moves outputs by about 1e-3 relative)
     */
    public static void write(FasterRCNN model, DetectorSpec spec, Path file, boolean half) throws CheckpointException {
        StateDict full = Weights.export(model);
        StateDict sd = full;
        if (half) {
            StateDict h = new StateDict();
            model.namedTensors().forEach((k, p) -> {
                NDArray a = p.get();
                if (a.getDataType().isFloating()) {
                    try (NDArray f16 = a.toType(DataType.FLOAT16, false)) {
                        h.put(k, TensorData.ofBytes(DType.FLOAT16, a.getShape().getShape(), f16.toByteArray()));
                    }
                } else {
                    h.put(k, full.get(k));
                }
            });
            sd = h;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put(DetectorSpec.METADATA_KEY, spec.toJson());
        Checkpoints.writeSafetensors(sd, file, meta);
    }

    /** {@link #readSpec}, with unreadable files reported as having no spec (the loader names the problem later). */
    public static Optional<DetectorSpec> readSpecQuietly(Path file) {
        try {
            return readSpec(file);
        } catch (CheckpointException e) {
            return Optional.empty();
        }
    }

    /** The spec a resdet-trained file carries; empty for other checkpoints (torchvision's, plain safetensors). */
    public static Optional<DetectorSpec> readSpec(Path file) throws CheckpointException {
        if (Checkpoints.detect(file) != Checkpoints.Format.SAFETENSORS) return Optional.empty();
        String json = Checkpoints.readSafetensorsMetadata(file).get(DetectorSpec.METADATA_KEY);
        if (json == null) return Optional.empty();
        try {
            return Optional.of(DetectorSpec.fromJson(json));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, e.getMessage());
        }
    }
}
