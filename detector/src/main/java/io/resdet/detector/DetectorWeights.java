package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.io.CheckpointException;
import io.resdet.io.Checkpoints;
import io.resdet.io.StateDict;
import io.resdet.nn.StateDictLoader;
import io.resdet.nn.Weights;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads torchvision detection checkpoints, including ones saved before torchvision wrapped FPN and RPN
 * convs in {@code Conv2dNormActivation} (state-dict version 1: {@code fpn.inner_blocks.0.weight},
 * {@code rpn.head.conv.weight}); torchvision upgrades those keys on load and so does this.
 */
public final class DetectorWeights {
    private static final Pattern OLD_FPN = Pattern.compile("^(backbone\\.fpn\\.(inner|layer)_blocks\\.\\d+)\\.(weight|bias)$");
    private static final Pattern OLD_RPN = Pattern.compile("^(rpn\\.head\\.conv)\\.(weight|bias)$");

    private DetectorWeights() {}

    public static StateDictLoader.Report load(FasterRCNN model, Path file, boolean strict) throws CheckpointException {
        StateDict sd = Checkpoints.read(file);
        try (NDManager tmp = model.getManager().newSubManager()) {
            return StateDictLoader.load(model, upgradeKeys(Weights.toArrays(tmp, sd)), strict);
        } catch (StateDictLoader.MismatchException e) {
            throw new CheckpointException(file, e.getMessage());
        }
    }

    static Map<String, NDArray> upgradeKeys(Map<String, NDArray> in) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            String key = OLD_FPN.matcher(k).replaceFirst("$1.0.$3");
            key = OLD_RPN.matcher(key).replaceFirst("$1.0.0.$2");
            out.put(key, v);
        });
        return out;
    }
}
