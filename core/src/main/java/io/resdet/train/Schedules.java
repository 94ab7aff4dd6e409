package io.resdet.train;

import java.util.Arrays;
import java.util.Map;

/** The schedules training uses, with torch.optim.lr_scheduler's semantics at iteration granularity. */
public final class Schedules {
    private Schedules() {}

    public static LrSchedule constant(double lr) {
        return it -> lr;
    }

    /** {@code MultiStepLR}: {@code base · gamma^(number of milestones ≤ iter)}. */
    public static LrSchedule multiStep(double base, long[] milestones, double gamma) {
        long[] ms = milestones.clone();
        Arrays.sort(ms);
        return it -> {
            int passed = 0;
            for (long m : ms) if (it >= m) passed++;
            return base * Math.pow(gamma, passed);
        };
    }

    /** {@code CosineAnnealingLR} in closed form: {@code min + (base − min)(1 + cos(π·iter/total))/2}; like torch it rises again past {@code total}. */
    public static LrSchedule cosine(double base, long total, double min) {
        return it -> min + (base - min) * (1 + Math.cos(Math.PI * it / total)) / 2;
    }

    /**
     * {@code LinearLR(start_factor=factor, total_iters=iters)} wrapped around {@code inner}: the rate ramps
     * linearly from {@code factor·inner} to {@code inner} over the first {@code iters} iterations (torchvision's
     * detection warm-up).
     */
    public static LrSchedule linearWarmup(double factor, long iters, LrSchedule inner) {
        return new LrSchedule() {
            @Override
            public double lr(long it) {
                double f = it >= iters ? 1.0 : factor + (1 - factor) * it / (double) iters;
                return f * inner.lr(it);
            }

            @Override
            public void observe(long iter, double trainError) {
                inner.observe(iter, trainError);
            }

            @Override
            public Map<String, Long> state() {
                return inner.state();
            }

            @Override
            public void loadState(Map<String, Long> state) {
                inner.loadState(state);
            }
        };
    }

    /**
     * The ResNet-110 warm-up (paper §4.2): {@code low} until the training error drops below
     * {@code errorBelow} (80%) or {@code maxIters} (about 400) have passed, then {@code inner}. The switch
     * iteration is state, saved with checkpoints.
     */
    public static LrSchedule errorGatedWarmup(double low, double errorBelow, long maxIters, LrSchedule inner) {
        return new LrSchedule() {
            private long switchedAt = -1;

            @Override
            public double lr(long it) {
                if (switchedAt < 0 && it >= maxIters) switchedAt = maxIters;
                return switchedAt >= 0 && it >= switchedAt ? inner.lr(it) : low;
            }

            @Override
            public void observe(long iter, double trainError) {
                if (switchedAt < 0 && trainError < errorBelow) switchedAt = iter + 1;
                inner.observe(iter, trainError);
            }

            @Override
            public Map<String, Long> state() {
                return Map.of("warmup_switched_at", switchedAt);
            }

            @Override
            public void loadState(Map<String, Long> state) {
                switchedAt = state.getOrDefault("warmup_switched_at", -1L);
            }
        };
    }
}
