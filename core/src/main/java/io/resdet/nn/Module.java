package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The counterpart of {@code torch.nn.Module}: named parameters, buffers and child modules, so that
 * state-dict keys come out exactly as torchvision's ({@code layer1.0.conv1.weight}).
 *
 * <p>Order matters for parity with {@code state_dict()}: a module lists its own parameters, then its
 * own buffers, then its children in registration order.
 */
public abstract class Module {
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    protected final NDManager manager;
    protected boolean training = true;

    protected Module(NDManager manager) {
        this.manager = manager;
    }

    public NDManager getManager() {
        return manager;
    }

    protected final Param parameter(String name, NDArray value) {
        return put(name, new Param(value, false));
    }

    protected final Param buffer(String name, NDArray value) {
        return put(name, new Param(value, true));
    }

    private Param put(String name, Param p) {
        if (params.putIfAbsent(name, p) != null) throw new IllegalStateException("duplicate tensor " + name);
        return p;
    }

    protected final <M extends Module> M child(String name, M module) {
        if (children.putIfAbsent(name, module) != null) throw new IllegalStateException("duplicate child " + name);
        return module;
    }

    /** Replaces a registered child (used by transformations such as batch-norm folding). */
    protected final void replaceChild(String name, Module module) {
        if (!children.containsKey(name)) throw new IllegalArgumentException("no child " + name);
        children.put(name, module);
    }

    /** Drops a registered child, as torchvision's {@code IntermediateLayerGetter} drops unused layers. */
    protected final void removeChild(String name) {
        if (children.remove(name) == null) throw new IllegalArgumentException("no child " + name);
    }

    public Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /** Sets training mode recursively (batch-norm statistics, dropout). Returns this. */
    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Every tensor slot, parameters and buffers, keyed as torch's {@code state_dict()}. */
    public Map<String, Param> namedTensors() {
        Map<String, Param> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> m.params.forEach((k, p) -> out.put(prefix + k, p)));
        return out;
    }

    /** Trainable parameters only (torch's {@code named_parameters()}), excluding buffers. */
    public Map<String, Param> namedParameters() {
        Map<String, Param> out = new LinkedHashMap<>();
        namedTensors().forEach((k, p) -> {
            if (!p.isBuffer()) out.put(k, p);
        });
        return out;
    }

    /** Parameters that currently take gradients (what an optimizer updates). */
    public List<Param> trainableParameters() {
        List<Param> out = new ArrayList<>();
        for (Param p : namedParameters().values()) if (p.requiresGrad()) out.add(p);
        return out;
    }

    /** Turns gradients on or off for every parameter (off for inference: no autograd graph is recorded). */
    public Module requiresGrad(boolean on) {
        for (Param p : namedParameters().values()) p.setRequiresGrad(on);
        return this;
    }

    /** Number of parameter elements, buffers excluded, as torchvision counts them. */
    public long parameterCount() {
        long n = 0;
        for (Param p : namedParameters().values()) n += p.get().getShape().size();
        return n;
    }

    /**
     * Converts every floating-point parameter and buffer of this module and its descendants to {@code type}
     * (torch's {@code module.half()} for {@code FLOAT16}), on their device. Integer buffers stay as they are.
     * Returns how many tensors changed.
     */
    public int convertFloats(ai.djl.ndarray.types.DataType type) {
        int n = 0;
        for (Param p : namedTensors().values()) {
            ai.djl.ndarray.types.DataType t = p.get().getDataType();
            if (t.isFloating() && t != type) {
                p.set(p.get().toType(type, false));
                n++;
            }
        }
        return n;
    }

    /** Visits this module and all descendants, depth first, with the key prefix each one's tensors take. */
    public void visit(String prefix, BiConsumer<String, Module> visitor) {
        visitor.accept(prefix, this);
        children.forEach((name, c) -> c.visit(prefix + name + ".", visitor));
    }

    /** The single-input forward pass; modules with other signatures define their own. */
    public NDArray forward(NDArray x) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no single-input forward");
    }

    /** Shape check helper for state loading: torch's error names the key and both shapes. */
    static String shapeMismatch(String key, Shape expected, Shape got) {
        return key + ": shape " + got + " in the checkpoint, " + expected + " in the model";
    }
}
