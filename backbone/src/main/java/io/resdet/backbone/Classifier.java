package io.resdet.backbone;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.resdet.image.ImageNetTransform;
import io.resdet.image.RgbImage;
import io.resdet.io.CheckpointException;
import io.resdet.io.Checkpoints;
import io.resdet.nn.Devices;
import io.resdet.nn.ModelBuilder;
import io.resdet.nn.StateDictLoader;
import io.resdet.nn.Weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Image classification with a residual network: torchvision's preprocessing, the network (batch norm
 * folded for speed), logits per image. Thread-safe for concurrent {@link #logits} calls.
 */
public final class Classifier implements AutoCloseable {
    private final NDManager manager;
    private final Backbone net;
    private final ImageNetTransform transform;
    private final StateDictLoader.Report loadReport;
    private final String keyMapping;

    private Classifier(NDManager manager, Backbone net, ImageNetTransform transform, StateDictLoader.Report report,
                       String keyMapping) {
        this.manager = manager;
        this.net = net;
        this.transform = transform;
        this.loadReport = report;
        this.keyMapping = keyMapping;
    }

    /** How a published checkpoint's key names were mapped to resdet's ({@link PublishedLayouts}); null when not at all. */
    public String keyMapping() {
        return keyMapping;
    }

    /** What loading the weights found (only non-empty when built with {@code optStrict(false)}). */
    public StateDictLoader.Report loadReport() {
        return loadReport;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Backbone network() {
        return net;
    }

    /** Logits, one row per image, in input order. */
    public List<float[]> logits(List<RgbImage> images) {
        try (NDManager m = manager.newSubManager()) {
            NDList batch = new NDList();
            for (RgbImage im : images) batch.add(transform.apply(m, im));
            NDArray x = ImageStack.stackSameShape(batch);
            NDArray y = net.forward(x);
            List<float[]> out = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) out.add(y.get(i).toFloatArray());
            y.close();
            return out;
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Indices of the {@code k} largest values, largest first (ties: lower index first). */
    public static int[] topK(float[] v, int k) {
        k = Math.min(k, v.length);
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (a, b) -> v[a] != v[b] ? Float.compare(v[b], v[a]) : Integer.compare(a, b));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) out[i] = idx[i];
        return out;
    }

    /** Softmax in double precision (scores reported to users). */
    public static double[] softmax(float[] v) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float x : v) max = Math.max(max, x);
        double[] p = new double[v.length];
        for (int i = 0; i < v.length; i++) sum += p[i] = Math.exp(v[i] - max);
        for (int i = 0; i < v.length; i++) p[i] /= sum;
        return p;
    }

    /** DJL-style builder: {@code setArch}, {@code setWeights} required; the rest optional. */
    public static final class Builder extends ModelBuilder<Builder> {
        private boolean resize = true;
        private int resizeSize = 256;
        private boolean foldBatchNorm = true;

        @Override
        protected Builder self() {
            return this;
        }

        /** false: feed images as they are (normalised only), torchvision's transform otherwise. */
        public Builder optResize(boolean resize) {
            this.resize = resize;
            return this;
        }

        /** The short side's size before the 224 center crop: 256 (torchvision's v1 weights) or 232 (its v2 recipe). */
        public Builder optResizeSize(int size) {
            if (size < 224) throw new IllegalArgumentException("resize size must be at least the 224 crop, got " + size);
            this.resizeSize = size;
            return this;
        }

        public Builder optFoldBatchNorm(boolean fold) {
            this.foldBatchNorm = fold;
            return this;
        }

        public Classifier build() throws CheckpointException {
            if (arch == null || weights == null) throw new IllegalStateException("setArch and setWeights are required");
            Device d = Devices.resolve(device);
            NDManager m = NDManager.newBaseManager(d);
            try {
                ResNets.Builder b = ResNets.builder().setArch(arch);
                if (numClasses != null) b.optNumClasses(numClasses);
                Backbone net = b.build(m);
                PublishedLayouts.Adapted adapted = PublishedLayouts.adapt(arch, Checkpoints.read(weights));
                StateDictLoader.Report report = Weights.load(net, weights, adapted.stateDict(), strict);
                net.eval();
                net.requiresGrad(false);
                if (foldBatchNorm) BatchNormFolding.fold(net);
                return new Classifier(m, net, resize ? new ImageNetTransform(resizeSize, 224, true) : ImageNetTransform.normaliseOnly(), report,
                        adapted.mapping());
            } catch (RuntimeException | CheckpointException e) {
                m.close();
                throw e;
            }
        }
    }
}
