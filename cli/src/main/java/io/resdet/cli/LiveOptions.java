package io.resdet.cli;

import io.resdet.video.LiveReader;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * Options for live sources (rtsp://, rtsps://, http(s)://, camera:N, /dev/videoN), shared by {@code detect} and
 * {@code produce}; {@link DetectOptions} adds what only {@code detect} has. Given with a file or folder they are an
 * error, not silently ignored.
 */
final class LiveOptions {
    @Option(names = "--max-frames", paramLabel = "N", description = "Live sources: stop after N processed frames (default: no limit).")
    Long maxFrames;

    @Option(names = "--duration", paramLabel = "S", description = "Live sources: stop after S seconds (default: no limit).")
    Double duration;

    @Option(names = "--reconnect-timeout", paramLabel = "S",
            description = "Live sources: when the stream drops, reconnect (waiting 0.5 s, 1 s, 2 s, ... up to 10 s between attempts)"
                    + " and give up, exit 1, after S seconds without a frame (default: 60).")
    Double reconnectTimeout;

    /** {@code detect} only. */
    static final class DetectOptions {
        @Option(names = "--fps", paramLabel = "F", description = "Live sources: process at most F frames per second of stream time, dropping the rest (default: all).")
        Double fps;

        @Option(names = "--segment", paramLabel = "S",
                description = "Live sources with --out: a new <out>/<name>-NNN.mp4 every S seconds of stream time (default: 300).")
        Double segment;

        long segmentMicros() {
            return (long) ((segment == null ? 300 : segment) * 1e6);
        }
    }

    /** Fails when a live-only option was given for a file or folder. */
    void rejectUnlessLive(boolean live, Double fps, Double segment) {
        if (live) return;
        String given = maxFrames != null ? "--max-frames" : duration != null ? "--duration" : reconnectTimeout != null ? "--reconnect-timeout"
                : fps != null ? "--fps" : segment != null ? "--segment" : null;
        if (given != null) throw new UserError(given + " applies to live sources only (rtsp://, rtsps://, http(s)://, camera:N, /dev/videoN)");
    }

    /** The reader settings: reconnect timeout and bounds checked, reconnect notices to stderr as {@code <command>: ...}. */
    LiveReader.Settings settings(String command, int every, double fps, Long extraLimit) {
        if (maxFrames != null && maxFrames < 0) throw new UserError("--max-frames: must be >= 0, got " + maxFrames);
        if (duration != null && !(duration > 0)) throw new UserError("--duration: must be > 0, got " + duration);
        if (reconnectTimeout != null && !(reconnectTimeout > 0)) throw new UserError("--reconnect-timeout: must be > 0, got " + reconnectTimeout);
        if (fps < 0) throw new UserError("--fps: must be >= 0, got " + fps);
        long limit = maxFrames == null ? -1 : maxFrames;
        if (extraLimit != null) limit = limit < 0 ? extraLimit : Math.min(limit, extraLimit);
        LiveReader.Settings s = LiveReader.Settings.defaults(line -> System.err.println(command + ": " + line));
        if (reconnectTimeout != null) s = s.withReconnectTimeout(Duration.ofMillis((long) (reconnectTimeout * 1000)));
        return s.withBounds(every, fps, limit, duration == null ? null : Duration.ofMillis((long) (duration * 1000)));
    }
}
