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
 * Build one by name with {@link #builder()}: {@code setOut}, {@code setIterations} required, the rest optional with
 * {@code resdet train}'s defaults (torchvision's recipe).
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

    public static Builder builder() {
        return new Builder();
    }

    /** DJL-style: {@code set*} required, {@code opt*} optional (defaults: {@code resdet train}'s). */
    public static final class Builder {
        private Path out;
        private long iterations;
        private int batch = 2, warmup = 1000, workers = 2, aspectGroups = 3, checkpointEvery = 500, validateEvery, validateImages,
                samples = 8;
        private Double lr;
        private double momentum = 0.9, weightDecay = 1e-4, warmupFactor = 0.001, gamma = 0.1, clipNorm, minutes, hflip = 0.5;
        private String schedule = "multistep", optimizer = "sgd";
        private List<Double> milestones = List.of(0.667, 0.889);
        private long seed;
        private boolean resume;

        public Builder setOut(Path out) {
            this.out = out;
            return this;
        }

        public Builder setIterations(long n) {
            this.iterations = n;
            return this;
        }

        public Builder optBatch(int b) {
            this.batch = b;
            return this;
        }

        /** Base learning rate; default 0.02 × batch / 16 (torchvision's rule). */
        public Builder optLr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder optMomentum(double m) {
            this.momentum = m;
            return this;
        }

        public Builder optWeightDecay(double wd) {
            this.weightDecay = wd;
            return this;
        }

        /** Linear warm-up over {@code n} iterations (capped at the run's length) from {@code factor} × lr. */
        public Builder optWarmup(int n, double factor) {
            this.warmup = n;
            this.warmupFactor = factor;
            return this;
        }

        /** {@code multistep} (with its milestones, fractions of the run), {@code cosine} or {@code constant}. */
        public Builder optSchedule(String schedule, List<Double> milestones, double gamma) {
            this.schedule = schedule;
            this.milestones = milestones;
            this.gamma = gamma;
            return this;
        }

        public Builder optClipNorm(double norm) {
            this.clipNorm = norm;
            return this;
        }

        public Builder optOptimizer(String optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder optMinutes(double minutes) {
            this.minutes = minutes;
            return this;
        }

        public Builder optWorkers(int n) {
            this.workers = n;
            return this;
        }

        public Builder optHorizontalFlip(double p) {
            this.hflip = p;
            return this;
        }

        public Builder optAspectRatioGroups(int k) {
            this.aspectGroups = k;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optCheckpointEvery(int n) {
            this.checkpointEvery = n;
            return this;
        }

        /** Validate every {@code every} iterations (0: at the end) on the first {@code images} (0: all). */
        public Builder optValidation(int every, int images) {
            this.validateEvery = every;
            this.validateImages = images;
            return this;
        }

        public Builder optSampleImages(int n) {
            this.samples = n;
            return this;
        }

        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad setting */
        public TrainConfig build() {
            if (out == null) throw new IllegalStateException("setOut is required");
            return new TrainConfig(out, iterations, batch, lr != null ? lr : 0.02 * batch / 16, momentum, weightDecay,
                    (int) Math.min(warmup, iterations), warmupFactor, schedule, milestones, gamma, clipNorm, optimizer, minutes,
                    workers, hflip, aspectGroups, seed, checkpointEvery, validateEvery, validateImages, samples, resume);
        }
    }
}
