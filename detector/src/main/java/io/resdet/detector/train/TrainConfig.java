package io.resdet.detector.train;

import java.nio.file.Path;
import java.util.List;

/**
 * How to train: schedule, optimizer, data pipeline, bookkeeping. Iterations are the unit of the schedule;
 * {@code minutes} only caps wall time (the run checkpoints and stops there, and {@code --resume} goes on).
 *
 * @param milestones multi-step schedule points as fractions of {@code iterations} (rate × gamma at each)
 * @param schedule {@code multistep}, {@code cosine} or {@code constant}
 * @param optimizer {@code sgd} (momentum, weight decay) or {@code adamw}
 */
public record TrainConfig(Path out, long iterations, int batch, double lr, double momentum, double weightDecay,
                          int warmupIterations, double warmupFactor, String schedule, List<Double> milestones,
                          double gamma, double clipNorm, String optimizer, double minutes, int workers,
                          double horizontalFlip, int aspectRatioGroups, long seed, int checkpointEvery,
                          int validateEvery, int validateImages, int sampleImages, boolean resume) {
    public TrainConfig {
        if (iterations < 1) throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        if (!List.of("multistep", "cosine", "constant").contains(schedule)) {
            throw new IllegalArgumentException("schedule must be multistep, cosine or constant, got '" + schedule + "'");
        }
        if (!List.of("sgd", "adamw").contains(optimizer)) {
            throw new IllegalArgumentException("optimizer must be sgd or adamw, got '" + optimizer + "'");
        }
        for (double f : milestones) {
            if (!(f > 0 && f < 1)) throw new IllegalArgumentException("milestones are fractions in (0, 1), got " + f);
        }
        if (horizontalFlip < 0 || horizontalFlip > 1) throw new IllegalArgumentException("flip probability must be in [0, 1]");
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1");
    }
}
