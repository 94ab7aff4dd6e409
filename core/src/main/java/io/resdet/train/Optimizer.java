package io.resdet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.resdet.nn.Param;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A torch.optim-style optimizer over named parameters. Updates are in place on the parameter arrays with
 * autograd off, so parameters stay leaves and the next forward records a fresh graph. Per-parameter state
 * is exposed by name so a checkpoint can carry it ({@link #state()}, {@link #loadState}).
 */
public abstract class Optimizer {
    protected final Map<String, Param> params;
    protected final Predicate<String> decayed;
    protected final Map<String, NDArray> state = new LinkedHashMap<>();
    protected long steps;

    /** {@code decayed} picks the parameters that take weight decay (torch users put BN/bias in a no-decay group). */
    protected Optimizer(Map<String, Param> params, Predicate<String> decayed) {
        this.params = new LinkedHashMap<>();
        params.forEach((k, p) -> {
            if (p.requiresGrad()) this.params.put(k, p);
        });
        this.decayed = decayed;
    }

    /** Applies one update with learning rate {@code lr} from the gradients the last backward left. */
    public final void step(double lr) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            steps++;
            for (Map.Entry<String, Param> e : params.entrySet()) {
                NDArray p = e.getValue().get();
                NDArray g = p.getGradient();
                update(e.getKey(), p, g, lr);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    protected abstract void update(String name, NDArray p, NDArray g, double lr);

    /** Zeroes every gradient: libtorch accumulates into {@code .grad} across backward calls. */
    public final void zeroGrad() {
        for (Param p : params.values()) JniUtils.zeroGrad((PtNDArray) p.get());
    }

    /** Keeps a state array alive beyond the step's scope. */
    protected final NDArray keepState(String key, NDArray a) {
        NDScope.unregister(a);
        NDArray old = state.put(key, a);
        if (old != null && old != a) old.close();
        return a;
    }

    public Map<String, NDArray> state() {
        return state;
    }

    public long steps() {
        return steps;
    }

    /** Restores state saved by {@link #state()} and the step count; arrays are copied into this optimizer. */
    public void loadState(Map<String, NDArray> saved, long steps) {
        for (NDArray a : state.values()) a.close();
        state.clear();
        for (Map.Entry<String, NDArray> e : saved.entrySet()) {
            String key = e.getKey();
            String pname = key.substring(key.indexOf('.') + 1);
            Param p = params.get(pname);
            if (p == null) throw new IllegalArgumentException("optimizer state " + key + " names no trainable parameter");
            NDArray copy = p.get().getManager().create(e.getValue().getShape(), e.getValue().getDataType());
            e.getValue().copyTo(copy);
            keepState(key, copy);
        }
        this.steps = steps;
    }

    /** Weight decay on every parameter (the ResNet paper's setting). */
    public static Predicate<String> decayAll() {
        return n -> true;
    }
}
