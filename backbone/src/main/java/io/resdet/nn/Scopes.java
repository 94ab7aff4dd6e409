package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

import java.util.function.Supplier;

/**
 * Runs a computation in an {@link NDScope} so every intermediate array is closed on exit and only the
 * result survives. Native memory then stays flat across thousands of forwards; autograd is unaffected
 * because the graph keeps its own references to saved tensors.
 */
public final class Scopes {
    private Scopes() {}

    public static NDArray keep(Supplier<NDArray> f) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray r = f.get();
            NDScope.unregister(r);
            return r;
        }
    }

    public static NDList keepAll(Supplier<NDList> f) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList r = f.get();
            NDScope.unregister(r);
            return r;
        }
    }
}
