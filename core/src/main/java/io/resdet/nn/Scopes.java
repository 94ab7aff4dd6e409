package io.resdet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

import java.util.function.Supplier;

/**
 * Runs a computation in an {@link NDScope} so every intermediate array is closed on exit and only the
 * result survives, handed to the enclosing scope (if any) so that it too is closed in time. Native
 * memory then stays flat across thousands of forwards; autograd is unaffected because the graph keeps its
 * own references to saved tensors. The supplier must return arrays it created, not its inputs.
 */
public final class Scopes {
    private Scopes() {}

    public static NDArray keep(Supplier<NDArray> f) {
        NDArray r;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            r = f.get();
            NDScope.unregister(r);
        }
        NDScope.register(r);
        return r;
    }

    public static NDList keepAll(Supplier<NDList> f) {
        NDList r;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            r = f.get();
            NDScope.unregister(r);
        }
        for (NDArray a : r) NDScope.register(a);
        return r;
    }
}
