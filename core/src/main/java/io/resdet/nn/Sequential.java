package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;

/** {@code nn.Sequential}: children named "0", "1", ... applied in order. */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(NDManager m) {
        super(m);
    }

    public Sequential add(Module layer) {
        child(Integer.toString(layers.size()), layer);
        layers.add(layer);
        return this;
    }

    public List<Module> layers() {
        return java.util.Collections.unmodifiableList(layers);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public NDArray forward(NDArray x) {
        return Scopes.keep(() -> {
            NDArray y = x;
            for (Module layer : layers) y = layer.forward(y);
            return y;
        });
    }
}
