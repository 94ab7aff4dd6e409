package io.resdet.eval;

/** Receives progress of long evaluation steps; implementations must be thread-safe. */
@FunctionalInterface
public interface ProgressListener {
    /** {@code done} of {@code total} units of {@code stage} are finished. */
    void update(String stage, long done, long total);

    ProgressListener NONE = (stage, done, total) -> { };
}
