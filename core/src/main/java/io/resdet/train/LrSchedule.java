package io.resdet.train;

import java.util.Map;

/**
 * Learning rate as a function of the iteration (0-based: the rate used by update number {@code iter + 1}).
 * Schedules that react to training (the ResNet-110 warm-up) take observations and carry state a checkpoint saves.
 */
public interface LrSchedule {
    double lr(long iter);

    /** Told the training error of the minibatch at {@code iter}; most schedules ignore it. */
    default void observe(long iter, double trainError) {}

    /** Whatever the schedule must remember across a resume, as plain numbers. */
    default Map<String, Long> state() {
        return Map.of();
    }

    default void loadState(Map<String, Long> state) {}
}
