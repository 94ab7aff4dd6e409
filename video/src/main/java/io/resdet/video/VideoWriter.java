package io.resdet.video;

import io.resdet.image.RgbImage;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Encodes RGB frames into a video file; the container follows the extension (.mp4, .avi, .mkv, ...).
 * MPEG-4 Part 2 video: every FFmpeg build has its encoder (H.264 needs a GPL or openh264 build) and every
 * player decodes it. Not thread-safe.
 */
public final class VideoWriter implements AutoCloseable {
    private final Path file;
    private final FFmpegFrameRecorder recorder;
    private final int width, height;
    private int frames;

    private VideoWriter(Path file, FFmpegFrameRecorder recorder, int width, int height) {
        this.file = file;
        this.recorder = recorder;
        this.width = width;
        this.height = height;
    }

    public static VideoWriter open(Path file, int width, int height, double frameRate) throws IOException {
        FFmpegSetup.once();
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        String name = file.getFileName().toString();
        r.setFormat(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(frameRate);
        // qscale 3: near-transparent for annotated footage, where thin box edges and text must stay sharp.
        r.setVideoQuality(3);
        try {
            r.start();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            try {
                r.close();
            } catch (FrameRecorder.Exception | RuntimeException ignored) {
                // The start failure is the error to report.
            }
            throw new IOException(file + ": cannot write video (" + VideoReader.oneLine(e) + ")");
        }
        return new VideoWriter(file, r, width, height);
    }

    public void write(RgbImage frame) throws IOException {
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame " + frame.width() + "x" + frame.height() + " in a " + width + "x" + height + " video");
        }
        try {
            recorder.record(FramePixels.toFrame(frame), avutil.AV_PIX_FMT_RGB24);
            frames++;
        } catch (FrameRecorder.Exception | RuntimeException e) {
            throw new IOException(file + ": cannot write frame " + frames + " (" + VideoReader.oneLine(e) + ")");
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int framesWritten() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        try {
            recorder.close();
        } catch (FrameRecorder.Exception e) {
            throw new IOException(file + ": cannot finish video (" + VideoReader.oneLine(e) + ")");
        }
    }
}
