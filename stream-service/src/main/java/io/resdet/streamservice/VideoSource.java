package io.resdet.streamservice;

import io.resdet.image.Images;
import io.resdet.video.VideoFrame;
import io.resdet.video.VideoReader;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Frames of a video file (anything FFmpeg decodes, mp4 included) or a camera, each re-encoded as JPEG: the frames
 * topic carries still images, and JPEG keeps a decoded 720p frame near 100 KB instead of 2.7 MB of raw RGB.
 */
public final class VideoSource implements FrameSource {
    /** Visually lossless for detection; the dashboard shows these bytes as they are. */
    static final float JPEG_QUALITY = 0.9f;

    private final Path file;
    private final boolean loop;
    private final long limit;
    private VideoReader reader;
    private long served;

    private VideoSource(Path file, VideoReader reader, boolean loop, long limit) {
        this.file = file;
        this.reader = reader;
        this.loop = loop;
        this.limit = limit;
    }

    /** A video file; {@code loop} starts it again at its end; {@code limit} < 0: no frame limit. */
    public static VideoSource file(Path file, boolean loop, long limit) throws IOException {
        return new VideoSource(file, VideoReader.open(file), loop, limit);
    }

    public int width() {
        return reader.width();
    }

    public int height() {
        return reader.height();
    }

    /** The rate the container or camera states (25 when it states none): the natural pace for sending. */
    public double frameRate() {
        return reader.frameRate();
    }

    @Override
    public long size() {
        if (file == null || loop) return limit;
        int n = reader.estimatedFrames();
        if (n <= 0) return limit;
        return limit < 0 ? n : Math.min(n, limit);
    }

    @Override
    public Frame next() throws IOException {
        if (limit >= 0 && served >= limit) return null;
        VideoFrame f = reader.next();
        if (f == null && loop && served > 0) {
            reader.close();
            reader = VideoReader.open(file);
            f = reader.next();
        }
        if (f == null) return null;
        served++;
        return new Frame(SyntheticSource.jpeg(Images.toBufferedImage(f.image()), JPEG_QUALITY), "image/jpeg");
    }

    @Override
    public void close() {
        reader.close();
    }
}
