package io.resdet.streamservice;

import io.resdet.image.Images;
import io.resdet.video.LiveReader;
import io.resdet.video.VideoFrame;

import java.io.IOException;

/**
 * Frames of a live source ({@code rtsp://}, {@code rtsps://}, {@code http(s)://}, {@code camera:N},
 * {@code /dev/videoN}) re-encoded as JPEG, like {@link VideoSource}. The {@link LiveReader} underneath reconnects when
 * the stream drops and thins/bounds the frames ({@code --fps}, {@code --max-frames}, {@code --duration}); {@link #next()}
 * returns null when those end the run or after {@link #stop()}, and throws a one-line {@link IOException} when the
 * source stays gone past the reconnect timeout.
 */
public final class LiveSource implements FrameSource {
    private final LiveReader reader;
    private long lastTimestampMicros = -1;

    private LiveSource(LiveReader reader) {
        this.reader = reader;
    }

    public static LiveSource open(String spec, LiveReader.Settings settings) throws IOException {
        return new LiveSource(LiveReader.open(spec, settings));
    }

    @Override
    public long size() {
        return reader.settings().maxFrames();
    }

    @Override
    public Frame next() throws IOException {
        VideoFrame f = reader.next();
        if (f == null) return null;
        lastTimestampMicros = f.timestampMicros();
        return new Frame(SyntheticSource.jpeg(Images.toBufferedImage(f.image()), VideoSource.JPEG_QUALITY), "image/jpeg");
    }

    /** The last frame's time on the source's monotonic timeline (µs since its first frame); -1 before any. */
    public long lastTimestampMicros() {
        return lastTimestampMicros;
    }

    /** Ends the stream at the next frame (thread-safe): what was read is still sent. */
    public void stop() {
        reader.stop();
    }

    public LiveReader reader() {
        return reader;
    }

    @Override
    public void close() {
        reader.close();
    }
}
