package io.resdet.detector;

import ai.djl.ndarray.NDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-stage wall time of one inference, for benchmarks and profiles: the model calls {@link #lap} at each
 * stage boundary; nothing is recorded unless a timer is installed on the calling thread.
 *
 * <p>On a GPU, kernels run asynchronously: a stage's time is only its own when the stage's output is waited for.
 * {@link #lap(String, NDArray)} does that (it copies one element of the output to the host, which waits for the
 * work queued before it) — only while a timer is installed, so normal inference never synchronises for it.
 */
public final class StageTimer implements AutoCloseable {
    private static final ThreadLocal<StageTimer> CURRENT = new ThreadLocal<>();
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private long last = System.nanoTime();

    public static StageTimer start() {
        StageTimer t = new StageTimer();
        CURRENT.set(t);
        return t;
    }

    /**
     * As {@link #lap(String)}, after waiting for {@code output} when it lives on a GPU (and a timer is installed).
     */
    static void lap(String stage, NDArray output) {
        if (CURRENT.get() == null) return;
        if (output != null && output.getDevice().isGpu() && output.size() > 0) {
            try (NDArray flat = output.flatten(); NDArray one = flat.get(0)) {
                one.toByteArray();
            }
        }
        lap(stage);
    }

    /** Attributes the time since the previous lap to {@code stage}. */
    static void lap(String stage) {
        StageTimer t = CURRENT.get();
        if (t == null) return;
        long now = System.nanoTime();
        t.seconds.merge(stage, (now - t.last) / 1e9, Double::sum);
        t.last = now;
    }

    public Map<String, Double> seconds() {
        return seconds;
    }

    @Override
    public void close() {
        CURRENT.remove();
    }
}
