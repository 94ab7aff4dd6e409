package io.resdet.nn;

import java.nio.file.Path;

/**
 * What every model builder shares, DJL style: {@code setArch} and {@code setWeights} (which a builder may make
 * optional, as the detector does for resdet-trained files and its bundled model), strict loading, the device and the
 * class count. {@code B} is the concrete builder, so chained calls keep its own options in reach.
 */
public abstract class ModelBuilder<B extends ModelBuilder<B>> {
    protected String arch;
    protected Path weights;
    protected boolean strict = true;
    protected String device;
    protected Integer numClasses;

    protected abstract B self();

    public B setArch(String arch) {
        this.arch = arch;
        return self();
    }

    public B setWeights(Path weights) {
        this.weights = weights;
        return self();
    }

    /** false: load what fits and report missing, unexpected or mis-shaped keys instead of failing. */
    public B optStrict(boolean strict) {
        this.strict = strict;
        return self();
    }

    /** {@code auto} (a GPU if one is usable), {@code cpu}, {@code gpu}, {@code gpu:N}; null: auto. */
    public B optDevice(String device) {
        this.device = device;
        return self();
    }

    /** Outputs of the classifier head (background included for detectors). */
    public B optNumClasses(int n) {
        this.numClasses = n;
        return self();
    }
}
