package io.resdet.experiments;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.resdet.backbone.Backbone;
import io.resdet.backbone.ResNets;
import io.resdet.data.Batches;
import io.resdet.data.ImageSet;
import io.resdet.nn.Losses;
import io.resdet.nn.Param;
import io.resdet.train.LrSchedule;
import io.resdet.train.Schedules;
import io.resdet.train.Sgd;
import io.resdet.train.SplitMix;
import io.resdet.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Image-classification training as in the ResNet paper's CIFAR experiments (§4.2): SGD with momentum 0.9 and
 * weight decay 1e-4, rate 0.1 divided by 10 at 50% and 75% of the run (the paper's 32k/48k of 64k), optional
 * ResNet-110 warm-up, 4-pixel pad + crop + flip, per-channel normalisation from the training set.
 */
public final class ClassificationRun {
    public record Config(int iterations, int batch, double lr, boolean warmup, int evalEvery, int testLimit, long seed) {
        public Config {
            if (iterations < 1) throw new IllegalArgumentException("--iterations must be at least 1");
            if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1");
            if (evalEvery < 1) throw new IllegalArgumentException("evaluation interval must be at least 1");
        }
    }

    /**
     * One evaluation point. {@code trainError} and {@code trainLoss} average the minibatches since the previous
     * point (the paper's training curves are on augmented minibatches too); {@code stageStd} is each stage's
     * output standard deviation on a fixed probe batch in training mode (batch statistics, as training sees it);
     * {@code seconds} is the network's wall time so far, training and evaluation, summed over the sessions of a
     * resumed run.
     */
    public record Point(long iteration, double trainError, double trainLoss, double testError, double lr,
                        double firstLayerGradNorm, double[] stageStd, double seconds) {}

    /**
     * Hears what training does, for an oracle that repeats it elsewhere: the network before its first step, then each
     * step's batch (the augmented pixels before normalisation, and the labels) with what the step measured.
     */
    public interface Tap {
        /** The network with its initial weights, before any step; {@code stats} the normalisation {@code {mean[], std[]}}. */
        void started(Backbone net, double[][] stats);

        void step(long iteration, byte[] pixels, int[] labels, double loss, double error, double lr);
    }

    /** The folder of an experiment's output that holds each network's resumable state, one subfolder per network. */
    public static final String STATE_FOLDER = "state";

    private ClassificationRun() {}

    /** Trains {@code arch} from an initialisation fixed by the seed; {@code onStep} hears each finished iteration. */
    public static List<Point> train(String arch, ImageSet train, ImageSet test, Config cfg, LongConsumer onStep) {
        return train(arch, train, test, cfg, null, onStep);
    }

    /**
     * As above, keeping a resumable state in {@code stateDir} (null: none): a checkpoint at every evaluation point,
     * the points alone once finished. A later call with the same folder and configuration continues from the last
     * checkpoint (or returns the finished points) and gives exactly the points of an uninterrupted run.
     */
    public static List<Point> train(String arch, ImageSet train, ImageSet test, Config cfg, Path stateDir, LongConsumer onStep) {
        return train(arch, train, test, cfg, stateDir, onStep, null);
    }

    /** As above, telling {@code tap} (null: nobody) the initial network and every step's batch. */
    public static List<Point> train(String arch, ImageSet train, ImageSet test, Config cfg, Path stateDir, LongConsumer onStep,
                                    Tap tap) {
        RunState state = stateDir != null ? new RunState(stateDir) : null;
        if (state != null) {
            List<Point> done = state.finished();
            if (done != null) {
                if (onStep != null) onStep.accept(cfg.iterations());
                return done;
            }
        }
        List<Point> out = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(io.resdet.nn.Devices.auto())) {
            // One seed for every architecture: a plain net and its residual twin share names and shapes, so they
            // start from identical weights.
            Engine.getInstance().setRandomSeed((int) cfg.seed());
            Backbone net = ResNets.builder().setArch(arch).optNumClasses(train.classes().size())
                    .optInChannels(train.channels()).build(m);
            LrSchedule sched = Schedules.multiStep(cfg.lr(),
                    new long[] {cfg.iterations() / 2, cfg.iterations() * 3L / 4}, 0.1);
            if (cfg.warmup()) sched = Schedules.errorGatedWarmup(cfg.lr() / 10, 0.8, 400, sched);
            Trainer t = new Trainer(net, new Sgd(net.namedParameters(), 0.9, 1e-4), sched, cfg.seed(),
                    List.of("conv1.weight"));
            double[][] stats = train.channelStats();
            Batches trainBatches = new Batches(train, stats, 4);
            ImageSet testSet = test.head(cfg.testLimit() > 0 ? cfg.testLimit() : test.size());
            Batches testBatches = new Batches(testSet, stats, 0);
            Path checkpoint = state != null ? state.checkpoint() : null;
            double secondsBefore = 0;
            if (tap != null) tap.started(net, stats);
            if (checkpoint != null) {
                out.addAll(state.restore(checkpoint, t));
                secondsBefore = out.isEmpty() ? 0 : out.get(out.size() - 1).seconds();
                if (onStep != null) onStep.accept(t.iteration());
            }
            long start = System.nanoTime();
            double errSum = 0, lossSum = 0;
            int count = 0;
            for (int it = (int) t.iteration(); it < cfg.iterations(); it++) {
                int[] idx = batchIndices(train.size(), cfg.batch(), it, cfg.seed());
                double[] err = new double[1];
                byte[][] pixels = new byte[1][];
                Trainer.Step s = t.step(() -> {
                    pixels[0] = trainBatches.augmentedPixels(idx, t.rng());
                    NDArray x = trainBatches.normalised(m, pixels[0], idx.length);
                    NDArray y = trainBatches.labels(m, idx);
                    NDArray logits = net.forward(x);
                    err[0] = 1 - logits.argMax(1).eq(y).toType(DataType.FLOAT32, false).mean().getFloat();
                    return Losses.crossEntropy(logits, y);
                });
                t.observeTrainError(s.iteration(), err[0]);
                if (tap != null) {
                    int[] labels = new int[idx.length];
                    for (int k = 0; k < idx.length; k++) labels[k] = train.labels()[idx[k]];
                    tap.step(s.iteration(), pixels[0], labels, s.loss(), err[0], s.lr());
                }
                errSum += err[0];
                lossSum += s.loss();
                count++;
                boolean last = it == cfg.iterations() - 1;
                if ((it + 1) % cfg.evalEvery() == 0 || last) {
                    double testErr = testError(net, testBatches, testSet, m);
                    double[] std = stageStd(net, testBatches, testSet, m);
                    out.add(new Point(it + 1, errSum / count, lossSum / count, testErr, s.lr(),
                            s.probes().get("conv1.weight"), std, secondsBefore + (System.nanoTime() - start) / 1e9));
                    errSum = lossSum = 0;
                    count = 0;
                    if (state != null && !last) state.save(t, out);
                }
                if (onStep != null) onStep.accept(it + 1);
            }
        }
        if (state != null) state.finish(out);
        return out;
    }

    /**
     * Batch {@code it} of an epoch-wise shuffled order; each epoch's permutation comes from {@code seed} and the
     * epoch number alone, so iteration {@code it} draws the same images however the run got there.
     */
    static int[] batchIndices(int n, int batch, long it, long seed) {
        int[] out = new int[batch];
        long first = it * batch;
        int[] perm = null;
        long permEpoch = -1;
        for (int k = 0; k < batch; k++) {
            long g = first + k;
            long epoch = g / n;
            if (epoch != permEpoch) {
                perm = new int[n];
                for (int i = 0; i < n; i++) perm[i] = i;
                new SplitMix(seed * 0x9E3779B97F4A7C15L + epoch).shuffle(perm);
                permEpoch = epoch;
            }
            out[k] = perm[(int) (g % n)];
        }
        return out;
    }

    static double testError(Backbone net, Batches b, ImageSet test, NDManager m) {
        net.train(false);
        long wrong = 0;
        for (int from = 0; from < test.size(); from += 250) {
            int to = Math.min(test.size(), from + 250);
            try (NDManager sub = m.newSubManager()) {
                NDArray logits = net.forward(b.plain(sub, from, to));
                long[] pred = logits.argMax(1).toLongArray();
                for (int i = 0; i < pred.length; i++) if (pred[i] != test.labels()[from + i]) wrong++;
            }
        }
        net.train(true);
        return wrong / (double) test.size();
    }

    /**
     * Per-stage output standard deviation on the first 64 test images in training mode: normalised with the batch's
     * own statistics, as every training step is. (In evaluation mode the figure after a few steps would measure how far
     * the running statistics lag behind the weights, not the network.) The BatchNorm buffers the probe moves are put
     * back, so it leaves training exactly as it found it.
     */
    static double[] stageStd(Backbone net, Batches b, ImageSet test, NDManager m) {
        Map<Param, NDArray> saved = new LinkedHashMap<>();
        for (Param p : net.namedTensors().values()) if (p.isBuffer()) saved.put(p, p.get().duplicate());
        net.train(true);
        List<String> names = net.stageNames();
        double[] out = new double[names.size()];
        try (NDManager sub = m.newSubManager()) {
            Map<String, NDArray> f = net.features(b.plain(sub, 0, Math.min(64, test.size())), names);
            for (int i = 0; i < names.size(); i++) {
                NDArray a = f.get(names.get(i)).flatten();
                NDArray mean = a.mean();
                out[i] = Math.sqrt(a.sub(mean).square().mean().getFloat());
            }
            f.values().forEach(NDArray::close);
        } finally {
            saved.forEach(Param::set);
        }
        return out;
    }
}
