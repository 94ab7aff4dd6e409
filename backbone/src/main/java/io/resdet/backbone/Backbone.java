package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Module;

import java.util.List;
import java.util.Map;

/**
 * A residual network that classifies ({@link #forward}) and yields named multi-stage feature maps, finest
 * first ({@link #features}), which is what FPN consumes.
 */
public abstract class Backbone extends Module {
    protected Backbone(NDManager manager) {
        super(manager);
    }

    /** Stage names in order, e.g. {@code stem, layer1, ..., layer4}. */
    public abstract List<String> stageNames();

    /** Output channels of each stage, in {@link #stageNames()} order. */
    public abstract List<Integer> stageChannels();

    /**
     * Runs the feature stages only (no classifier) and returns the maps named in {@code wanted}, in stage
     * order. The caller owns (closes) them.
     */
    public abstract Map<String, NDArray> features(NDArray x, List<String> wanted);
}
