package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.resdet.nn.Module;
import io.resdet.nn.Scopes;

/**
 * The paper's CIFAR shortcut option A: parameter-free identity that subsamples by the stride and pads the
 * new channels with zeros, split evenly before and after the existing ones.
 */
public final class ShortcutA extends Module {
    private final int stride;
    private final int padBefore;
    private final int padAfter;

    public ShortcutA(NDManager m, int in, int out, int stride) {
        super(m);
        this.stride = stride;
        this.padBefore = (out - in) / 2;
        this.padAfter = out - in - padBefore;
    }

    @Override
    public NDArray forward(NDArray x) {
        return Scopes.keep(() -> {
            NDArray y = stride == 1 ? x : x.get(new NDIndex(":, :, ::{}, ::{}", stride, stride));
            if (padBefore == 0 && padAfter == 0) return stride == 1 ? y.duplicate() : y;
            long n = y.getShape().get(0), h = y.getShape().get(2), w = y.getShape().get(3);
            NDArray before = y.getManager().zeros(new ai.djl.ndarray.types.Shape(n, padBefore, h, w), y.getDataType(), y.getDevice());
            NDArray after = y.getManager().zeros(new ai.djl.ndarray.types.Shape(n, padAfter, h, w), y.getDataType(), y.getDevice());
            return before.concat(y, 1).concat(after, 1);
        });
    }
}
