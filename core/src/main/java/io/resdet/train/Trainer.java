package io.resdet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.resdet.nn.Module;
import io.resdet.nn.Param;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One optimisation step at a time: forward (the caller's loss), backward, optional clipping, update at the
 * scheduled rate, zeroed gradients. It owns everything a resume needs — iteration, optimizer, schedule and the
 * sampling RNG — so {@link TrainCheckpoint} can save and restore a run exactly. Engine randomness is re-seeded
 * with {@code seed + iteration} before each step, so the step does not depend on how the process got there.
 */
public final class Trainer {
    public record Step(long iteration, double loss, double lr, double gradNorm, Map<String, Double> probes) {}

    private final Module model;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final long seed;
    private final SplitMix rng;
    private double clipNorm;
    private long iteration;
    private final List<String> probed;

    public Trainer(Module model, Optimizer optimizer, LrSchedule schedule, long seed) {
        this(model, optimizer, schedule, seed, List.of());
    }

    /** {@code probed}: parameter names whose gradient L2 norm each step reports (e.g. the first conv). */
    public Trainer(Module model, Optimizer optimizer, LrSchedule schedule, long seed, List<String> probed) {
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.seed = seed;
        this.rng = new SplitMix(seed);
        this.probed = probed;
        for (String n : probed) {
            if (!model.namedParameters().containsKey(n)) throw new IllegalArgumentException("no parameter " + n + " to probe");
        }
    }

    /** Clips the global gradient norm to {@code max} before each update; 0 turns clipping off. */
    public Trainer clipGradNorm(double max) {
        this.clipNorm = max;
        return this;
    }

    /**
     * Runs one step. {@code loss} computes a scalar loss from the model in training mode; its arrays are freed
     * when the step ends.
     */
    public Step step(Supplier<NDArray> loss) {
        Engine.getInstance().setRandomSeed((int) (seed + iteration));
        model.train(true);
        double lr = schedule.lr(iteration);
        double lossValue;
        double norm = Double.NaN;
        Map<String, Double> probes = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss.get();
                lossValue = l.getFloat();
                gc.backward(l);
            }
            Map<String, Param> named = model.namedParameters();
            for (String n : probed) probes.put(n, (double) named.get(n).get().getGradient().norm().getFloat());
            List<Param> trainable = model.trainableParameters();
            norm = clipNorm > 0 ? GradClip.clipGlobalNorm(trainable, clipNorm) : Double.NaN;
        }
        optimizer.step(lr);
        optimizer.zeroGrad();
        Step s = new Step(iteration, lossValue, lr, norm, probes);
        iteration++;
        return s;
    }

    /** Passes the step's training error to the schedule (the ResNet-110 warm-up switches on it). */
    public void observeTrainError(long iter, double error) {
        schedule.observe(iter, error);
    }

    public SplitMix rng() {
        return rng;
    }

    public long iteration() {
        return iteration;
    }

    void setIteration(long it) {
        iteration = it;
    }

    public long seed() {
        return seed;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public LrSchedule schedule() {
        return schedule;
    }
}
