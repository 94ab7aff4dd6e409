package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * A named tensor slot of a {@link Module}: a trainable parameter or a buffer (running statistics,
 * frozen affine terms). Loading a checkpoint swaps the array inside the slot, so modules read
 * {@link #get()} at every forward rather than caching the array.
 */
public final class Param {
    private NDArray value;
    private final boolean buffer;
    private boolean requiresGrad;

    Param(NDArray value, boolean buffer) {
        NDScope.unregister(value); // module state outlives any forward scope it was created in
        this.value = value;
        this.buffer = buffer;
        this.requiresGrad = !buffer;
        if (requiresGrad) value.setRequiresGradient(true);
    }

    public NDArray get() {
        return value;
    }

    public boolean isBuffer() {
        return buffer;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Freezes or unfreezes a parameter (torch's {@code requires_grad_}); buffers never take gradients. */
    public void setRequiresGrad(boolean on) {
        if (buffer && on) throw new IllegalStateException("a buffer cannot require gradients");
        if (on != requiresGrad) {
            requiresGrad = on;
            value.setRequiresGradient(on);
        }
    }

    /** Replaces the held array (closing the old one); the new array takes this slot's gradient setting. */
    public void set(NDArray next) {
        if (next == value) return;
        NDArray old = value;
        NDScope.unregister(next);
        value = next;
        if (requiresGrad) value.setRequiresGradient(true);
        old.close();
    }
}
