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
import java.util.List;
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

    /**
     * Initial weights for fine-tuning: a detection checkpoint loads whole except a predictor sized for another
     * class count (left freshly initialised, torchvision's recipe for a new dataset); an ImageNet classification
     * checkpoint (torchvision's {@code resnet50-*.pth}) loads into {@code backbone.body} — torchvision's
     * {@code weights_backbone}. Anything else that does not fit is an error naming the keys.
     */
    public static StateDictLoader.Report loadForFineTuning(FasterRCNN model, Path file) throws CheckpointException {
        StateDict sd = Checkpoints.read(file);
        try (NDManager tmp = model.getManager().newSubManager()) {
            Map<String, NDArray> in = upgradeKeys(Weights.toArrays(tmp, sd));
            boolean classification = in.containsKey("layer1.0.conv1.weight") && !in.containsKey("backbone.body.layer1.0.conv1.weight");
            Map<String, NDArray> keyed = new LinkedHashMap<>();
            Map<String, io.resdet.nn.Param> slots = model.namedTensors();
            in.forEach((k, v) -> {
                String key = classification ? "backbone.body." + k : k;
                if (classification && (k.startsWith("fc.") || !slots.containsKey(key))) return; // head and dropped stages
                if (key.startsWith("roi_heads.box_predictor.") && slots.containsKey(key)
                        && !slots.get(key).get().getShape().equals(v.getShape())) return;
                keyed.put(key, v);
            });
            StateDictLoader.Report r = StateDictLoader.load(model, keyed, false);
            List<String> missing = r.missing().stream().filter(k -> !(k.startsWith("roi_heads.box_predictor.")
                    || classification && !k.startsWith("backbone.body."))).toList();
            if (!missing.isEmpty() || !r.unexpected().isEmpty() || !r.mismatched().isEmpty()) {
                throw new CheckpointException(file, "does not fit the model for fine-tuning: "
                        + new StateDictLoader.Report(missing, r.unexpected(), r.mismatched()).describe());
            }
            return r;
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
