package io.resdet.video;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes a video file (anything FFmpeg reads: mp4, avi, mov, mkv, webm, ...) into RGB frames, in order.
 * Errors are one-line {@link IOException}s naming the file. Not thread-safe.
 *
 * <pre>{@code
 * try (VideoReader r = VideoReader.open(Path.of("street.mp4"))) {
 *     for (VideoFrame f; (f = r.next()) != null; ) detector.detect(f.image());
 * }
 * }</pre>
 */
public final class VideoReader implements AutoCloseable {
    private final Path file;
    /** What errors call it: the path, or {@code camera:N}. */
    private final String name;
    private final FFmpegFrameGrabber grabber;
    private int next;

    private VideoReader(Path file, String name, FFmpegFrameGrabber grabber) {
        this.file = file;
        this.name = name;
        this.grabber = grabber;
    }

    public static VideoReader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        FFmpegSetup.once();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(g);
            throw new IOException(file + ": not a readable video (" + oneLine(e) + ")");
        }
        if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            release(g);
            throw new IOException(file + ": no video stream");
        }
        return new VideoReader(file, file.toString(), g);
    }

    public Path file() {
        return file;
    }

    public int width() {
        return grabber.getImageWidth();
    }

    public int height() {
        return grabber.getImageHeight();
    }

    /** Frames per second as the container states it; 25 when it states none. */
    public double frameRate() {
        double r = grabber.getFrameRate();
        return r > 0 && Double.isFinite(r) ? r : 25;
    }

    /** The container's frame count: an estimate for progress bars (0 when unknown), not a promise. */
    public int estimatedFrames() {
        return Math.max(0, grabber.getLengthInVideoFrames());
    }

    /** The next frame, or null at the end of the stream. */
    public VideoFrame next() throws IOException {
        Frame f;
        try {
            f = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new IOException(name + ": corrupt video at frame " + next + " (" + oneLine(e) + ")");
        }
        if (f == null || f.image == null) return null;
        return new VideoFrame(next++, f.timestamp, FramePixels.toRgb(f));
    }

    @Override
    public void close() {
        release(grabber);
    }

    private static void release(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // Closing after a failed start can fail again; the first error is the one worth reporting.
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ').strip();
    }
}
