package io.resdet.detector;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-stage wall time of one inference, for benchmarks and profiles: the model calls {@link #lap} at each
 * stage boundary; nothing is recorded unless a timer is installed on the calling thread.
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
