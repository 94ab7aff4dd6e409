package io.resdet.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.nn.Module;

import java.util.List;

/**
 * A residual unit {@code y = F(x) + shortcut(x)}. With {@code residual == false} it is the paper's "plain"
 * twin: the same layers with no shortcut (and no projection), so plain/residual pairs differ only there.
 */
public abstract class ResidualBlock extends Module {
    protected final boolean residual;
    protected final Module downsample;

    protected ResidualBlock(NDManager m, boolean residual, Module downsample) {
        super(m);
        this.residual = residual;
        this.downsample = residual ? downsample : null;
    }

    /** Registers the shortcut after the main-branch layers, matching torchvision's key order. */
    protected final void registerDownsample() {
        if (downsample != null) child("downsample", downsample);
    }

    public boolean isResidual() {
        return residual;
    }

    /** Convolution/normalisation pairs that inference may fold into one convolution. */
    public abstract List<Module[]> convNormPairs();

    /** Adds the shortcut (if any) to the main branch output {@code out}, consuming it. */
    protected final NDArray addShortcut(NDArray out, NDArray x) {
        if (!residual) return out;
        if (downsample == null) {
            out.addi(x);
            return out;
        }
        out.addi(downsample.forward(x));
        return out;
    }
}
