package io.resdet.video;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Frames of a live source: {@code rtsp://}, {@code rtsps://}, {@code http(s)://} (anything FFmpeg opens there: mp4,
 * MJPEG, HLS, ...), {@code camera:N} or {@code /dev/videoN}. Unlike {@link VideoReader} it does not end when the
 * stream drops: it reconnects with capped exponential backoff (one line to the log per attempt) and gives up with a
 * one-line {@link IOException} only after {@link Settings#reconnectTimeout} without a frame.
 *
 * <p>What it returns is already thinned and bounded by the {@link Settings}: every N-th frame, at most F per second
 * of stream time, at most N frames, for at most S seconds; {@link #next()} returns null when one of those ends the
 * run, when {@link #stop()} was called (from any thread), or when a source that states its length (a recording
 * served over HTTP or RTSP) reaches that length.
 *
 * <p>{@link VideoFrame#index()} counts every frame read from the source, across reconnects (it never starts again at
 * 0); {@link VideoFrame#timestampMicros()} is time since the first frame on one monotonic timeline: the stream's own
 * timestamps while they advance (the wall clock for streams without them, like MJPEG), continued across a reconnect
 * by the outage's wall time. Not thread-safe, except {@link #stop()}.
 */
public final class LiveReader implements AutoCloseable {
    private static final Pattern CAMERA = Pattern.compile("camera:(.*)");
    private static final Pattern DEVICE = Pattern.compile("/dev/video(\\d+)");
    private static final Pattern CREDENTIALS = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@]*)@");

    /**
     * How a live source is read. {@code ioTimeout}: a socket read or connect waiting longer counts as a lost stream
     * (FFmpeg's {@code timeout} / {@code rw_timeout}); {@code every}, {@code fps} (≤ 0: no limit), {@code maxFrames}
     * (< 0: none) and {@code duration} (null: none) thin and bound what {@link #next()} returns; {@code log} gets
     * the one-line reconnect notices.
     */
    public record Settings(Duration reconnectTimeout, Duration ioTimeout, Duration firstBackoff, Duration maxBackoff,
                           int every, double fps, long maxFrames, Duration duration, Consumer<String> log) {
        public static final Duration DEFAULT_RECONNECT_TIMEOUT = Duration.ofSeconds(60);

        public Settings {
            if (reconnectTimeout.isNegative() || reconnectTimeout.isZero()) throw new IllegalArgumentException("reconnect timeout must be > 0");
            if (every < 1) throw new IllegalArgumentException("every must be at least 1");
        }

        /** 60 s reconnect timeout, 5 s socket timeout, backoff 0.5 s doubling up to 10 s, every frame, no bounds. */
        public static Settings defaults(Consumer<String> log) {
            return new Settings(DEFAULT_RECONNECT_TIMEOUT, Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(10),
                    1, 0, -1, null, log);
        }

        public Settings withReconnectTimeout(Duration d) {
            // A connect or read blocked longer than the whole allowance would overrun it.
            Duration io = ioTimeout.compareTo(d) > 0 ? (d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d) : ioTimeout;
            return new Settings(d, io, firstBackoff, maxBackoff, every, fps, maxFrames, duration, log);
        }

        public Settings withBounds(int every, double fps, long maxFrames, Duration duration) {
            return new Settings(reconnectTimeout, ioTimeout, firstBackoff, maxBackoff, every, fps, maxFrames, duration, log);
        }
    }

    /** Why {@link #next()} returned null. */
    public enum End { NONE, STOPPED, MAX_FRAMES, DURATION, SOURCE_ENDED }

    private final String url, name;
    private final String format;
    private final Settings s;
    private long startNanos;
    private boolean started;
    private volatile boolean stopped;
    private FFmpegFrameGrabber grabber;
    private boolean everConnected;
    private End end = End.NONE;

    private int index, returned, attempt, reconnects;
    private long lastFrameNanos;
    private String lastError;
    // One monotonic timeline over all connections.
    private long lastMicros = -1, lastWallNanos, sessionBase, sessionFirstPts, sessionPrevPts, sessionWallStart;
    private boolean sessionStarted, sessionUsesPts;
    private long nextDueMicros;

    private LiveReader(String url, String name, String format, Settings s) {
        this.url = url;
        this.name = name;
        this.format = format;
        this.s = s;
    }

    /** Whether {@code spec} names a live source rather than a file or folder. */
    public static boolean isLive(String spec) {
        String l = spec.toLowerCase(Locale.ROOT);
        return l.startsWith("rtsp://") || l.startsWith("rtsps://") || l.startsWith("http://") || l.startsWith("https://")
                || l.startsWith("camera:") || DEVICE.matcher(spec).matches();
    }

    /**
     * Checks {@code spec} and prepares to read it; the first connection is made by {@link #next()} (and retried like
     * any reconnect). A camera that does not exist fails here, at once.
     */
    public static LiveReader open(String spec, Settings s) throws IOException {
        if (!isLive(spec)) throw new IOException(spec + ": not a live source (rtsp://, rtsps://, http(s)://, camera:N or /dev/videoN)");
        Matcher cam = CAMERA.matcher(spec), dev = DEVICE.matcher(spec);
        if (cam.matches() || dev.matches()) {
            int n;
            try {
                n = Integer.parseInt(cam.matches() ? cam.group(1) : dev.group(1));
            } catch (NumberFormatException e) {
                throw new IOException(spec + ": expected camera:N with N a camera number, like camera:0");
            }
            if (n < 0) throw new IOException(spec + ": camera numbers start at 0");
            Path device = Path.of("/dev/video" + n);
            // Checked first: FFmpeg's own answer for a missing device is a bare errno with no hint of what was missing.
            if (!Files.exists(device)) throw new IOException(spec + ": no camera (" + device + " does not exist)");
            return new LiveReader(device.toString(), spec, "video4linux2", s);
        }
        return new LiveReader(spec, redact(spec), null, s);
    }

    /** The source as messages and JSON show it: the URL with any password replaced by {@code ***}. */
    public String name() {
        return name;
    }

    /** {@code spec} without a password ({@code rtsp://user:***@host/...}). */
    public static String redact(String spec) {
        Matcher m = CREDENTIALS.matcher(spec);
        if (!m.find()) return spec;
        String user = m.group(2);
        int colon = user.indexOf(':');
        return m.group(1) + (colon < 0 ? user : user.substring(0, colon) + ":***") + "@" + spec.substring(m.end());
    }

    /** A file-name stem for {@code spec}: {@code rtsp://127.0.0.1:8554/live} → {@code 127.0.0.1_8554_live}. */
    public static String fileStem(String spec) {
        String r = redact(spec).replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("^[^/@]*@", "");
        String stem = r.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[_.]+|_+$", "");
        if (stem.length() > 80) stem = stem.substring(0, 80);
        return stem.isEmpty() ? "live" : stem;
    }

    /**
     * The next frame to process, or null when the run ends ({@link #end()} says why). Blocks while reconnecting.
     *
     * @throws IOException one line naming the source, after {@link Settings#reconnectTimeout} without a frame
     */
    public VideoFrame next() throws IOException {
        if (!started) {
            // FFmpeg's libraries load on first use (seconds, once): not part of the stream's time.
            FFmpegSetup.once();
            try {
                FFmpegFrameGrabber.tryLoad();
            } catch (FrameGrabber.Exception e) {
                throw new IOException(name + ": FFmpeg is not available (" + VideoReader.oneLine(e) + ")");
            }
            started = true;
            startNanos = lastFrameNanos = System.nanoTime();
        }
        while (true) {
            if (stopped) return finish(End.STOPPED);
            if (s.maxFrames() >= 0 && returned >= s.maxFrames()) return finish(End.MAX_FRAMES);
            if (s.duration() != null && System.nanoTime() - startNanos >= s.duration().toNanos()) return finish(End.DURATION);
            if (grabber == null) {
                if (attempt > 0 || everConnected) waitBeforeRetry();
                if (end != End.NONE) return null;
                connect();
                continue;
            }
            Frame f;
            String lost = null;
            try {
                f = grabber.grabImage();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                f = null;
                lost = describe(e);
            }
            if (stopped) return finish(End.STOPPED);
            if (f == null || f.image == null) {
                boolean ended = lost == null && reachedStatedLength();
                disconnect();
                if (ended) return finish(End.SOURCE_ENDED);
                lastError = lost == null ? "the stream ended" : lost;
                continue;
            }
            long now = System.nanoTime();
            long ts = timeline(f.timestamp, now);
            int i = index++;
            lastFrameNanos = now;
            attempt = 0;
            if (i % s.every() != 0) continue;
            if (s.fps() > 0) {
                if (ts < nextDueMicros) continue;
                long interval = (long) (1e6 / s.fps());
                nextDueMicros += interval;
                if (nextDueMicros <= ts) nextDueMicros = ts + interval;
            }
            returned++;
            return new VideoFrame(i, ts, FramePixels.toRgb(f));
        }
    }

    /** Why the last {@link #next()} returned null ({@link End#NONE} while it has not). */
    public End end() {
        return end;
    }

    /** Makes {@link #next()} return null soon: at once while waiting to reconnect, else within the socket timeout. */
    public void stop() {
        stopped = true;
    }

    /** Frames read from the source so far (processed or not). */
    public int framesRead() {
        return index;
    }

    /** Connections made after the first. */
    public int reconnects() {
        return reconnects;
    }

    /** The current connection's stated frame rate; 25 when it states none or is not connected. */
    public double frameRate() {
        double r = grabber == null ? 0 : grabber.getFrameRate();
        return r > 0 && r < 1000 && Double.isFinite(r) ? r : 25;
    }

    /** The settings in force (with the socket timeout fitted to the reconnect timeout). */
    public Settings settings() {
        return s;
    }

    @Override
    public void close() {
        disconnect();
    }

    private VideoFrame finish(End why) {
        end = why;
        return null;
    }

    private void connect() {
        FFmpegSetup.once();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(url);
        if (format != null) g.setFormat(format);
        String scheme = url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
        String micros = Long.toString(s.ioTimeout().toNanos() / 1000);
        if (scheme.startsWith("rtsp")) {
            // TCP: no lost UDP packets, works through NAT and firewalls. FFmpeg ≥ 5 calls the socket I/O timeout
            // 'timeout' (in µs; the old 'stimeout' is gone), so a dead server is noticed instead of blocking forever.
            g.setOption("rtsp_transport", "tcp");
            g.setOption("timeout", micros);
        } else if (scheme.startsWith("http")) {
            g.setOption("timeout", micros);
            g.setOption("rw_timeout", micros);
        }
        g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        try {
            g.start();
            if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
                release(g);
                lastError = "no video stream";
                attempt = Math.max(attempt, 1);
                return;
            }
        } catch (FrameGrabber.Exception | RuntimeException | UnsatisfiedLinkError e) {
            release(g);
            lastError = describe(e);
            attempt = Math.max(attempt, 1);
            return;
        }
        if (everConnected) reconnects++;
        everConnected = true;
        grabber = g;
        sessionStarted = false;
    }

    /** Logs one line and sleeps the backoff; gives up (throws) once the reconnect timeout has passed without frames. */
    private void waitBeforeRetry() throws IOException {
        long now = System.nanoTime(), deadline = lastFrameNanos + s.reconnectTimeout().toNanos();
        if (attempt == 0) attempt = 1;
        if (now >= deadline) {
            throw new IOException(name + ": no frames for " + seconds(s.reconnectTimeout().toNanos()) + ", giving up ("
                    + (attempt - 1) + " reconnect attempt" + (attempt - 1 == 1 ? "" : "s") + "; last error: " + lastError + ")");
        }
        long delay = s.firstBackoff().toNanos() << Math.min(20, attempt - 1);
        delay = Math.min(Math.min(delay, s.maxBackoff().toNanos()), deadline - now);
        s.log().accept(name + ": " + (everConnected ? "stream lost" : "cannot connect") + " (" + lastError + "); " + (everConnected ? "reconnecting" : "retrying") + " in "
                + seconds(delay) + " (attempt " + attempt + ")");
        attempt++;
        long until = now + delay;
        while (!stopped) {
            long left = until - System.nanoTime();
            if (left <= 0) break;
            if (s.duration() != null && System.nanoTime() - startNanos >= s.duration().toNanos()) {
                end = End.DURATION;
                return;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
        if (stopped) end = End.STOPPED;
    }

    /** True when the source states a length (a recording) and the last frame came within a second of it. */
    private boolean reachedStatedLength() {
        long length = grabber.getLengthInTime();
        if (length <= 0 || !sessionStarted || !sessionUsesPts) return false;
        return sessionPrevPts - sessionFirstPts >= length - 1_000_000;
    }

    /** Stream pts (µs) → the run's monotonic timeline (µs since the first frame). */
    private long timeline(long pts, long nowNanos) {
        if (!sessionStarted) {
            sessionStarted = true;
            sessionUsesPts = true;
            sessionFirstPts = sessionPrevPts = pts;
            sessionWallStart = nowNanos;
            // After a reconnect the timeline goes on by the wall time of the outage (at least a millisecond).
            sessionBase = lastMicros < 0 ? 0 : lastMicros + Math.max(1000, (nowNanos - lastWallNanos) / 1000);
            return emit(sessionBase, nowNanos);
        }
        if (sessionUsesPts && pts <= sessionPrevPts) {
            // No timestamps (MJPEG) or a jump back: the wall clock from here on.
            sessionUsesPts = false;
            sessionBase = lastMicros;
            sessionWallStart = lastWallNanos;
        }
        if (sessionUsesPts) {
            sessionPrevPts = pts;
            return emit(sessionBase + (pts - sessionFirstPts), nowNanos);
        }
        return emit(sessionBase + (nowNanos - sessionWallStart) / 1000, nowNanos);
    }

    private long emit(long micros, long nowNanos) {
        lastMicros = Math.max(micros, lastMicros);
        lastWallNanos = nowNanos;
        return lastMicros;
    }

    private void disconnect() {
        if (grabber != null) release(grabber);
        grabber = null;
    }

    private static void release(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // Closing a broken connection can fail again; the loss is what gets reported.
        }
    }

    private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-\\d+)");

    /** javacv's "avformat_open_input() error -111: Could not open input ... (Has setFormat() been called?)" → "Connection refused". */
    static String describe(Throwable e) {
        String m = VideoReader.oneLine(e);
        Matcher code = FFMPEG_ERROR.matcher(m);
        if (code.find()) {
            try {
                byte[] buf = new byte[256];
                if (avutil.av_strerror(Integer.parseInt(code.group(1)), buf, buf.length) == 0) {
                    int n = 0;
                    while (n < buf.length && buf[n] != 0) n++;
                    return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
                }
            } catch (RuntimeException | UnsatisfiedLinkError ignored) {
                // Fall through to javacv's own text.
            }
        }
        return m;
    }

    static String seconds(long nanos) {
        double sec = nanos / 1e9;
        if (sec >= 10 || Math.abs(sec - Math.rint(sec)) < 0.05) return Math.round(sec) + " s";
        return String.format(Locale.ROOT, "%.1f s", sec);
    }
}
