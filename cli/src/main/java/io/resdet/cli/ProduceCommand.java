package io.resdet.cli;

import io.resdet.streamservice.FrameProducer;
import io.resdet.streamservice.FrameSource;
import io.resdet.streamservice.ImageFolderSource;
import io.resdet.streamservice.LiveSource;
import io.resdet.streamservice.SyntheticSource;
import io.resdet.streamservice.Topics;
import io.resdet.streamservice.VideoSource;
import io.resdet.util.Progress;
import io.resdet.video.LiveReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code resdet produce}: send one stream of frames to the frames topic. */
@Command(name = "produce",
        footer = {"", "Example:", "  resdet produce --bootstrap 127.0.0.1:9092 --stream door --fps 10 door.mp4", "  resdet produce --frames-topic resdet.frames --frames 50 synthetic"}, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send frames to Kafka as one stream (record key = stream id), numbered from 0.",
                "SOURCE: a video file (mp4, avi, mkv, ...: anything FFmpeg decodes), a folder of .jpg/.png files (name order),",
                "'synthetic' (moving coloured shapes), or a live source: rtsp://, rtsps://, http(s):// (mp4, MJPEG, HLS, ...),",
                "camera:N or /dev/videoN (reconnects when the stream drops; stops at --max-frames, --duration or Ctrl-C).",
                "Video and live frames are sent as JPEG."})
public final class ProduceCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Mixin LiveOptions live;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Video file, image folder, 'synthetic', or a live source (rtsp://, http(s)://, camera:N, ...).")
    String source;

    @Option(names = "--stream", paramLabel = "ID", defaultValue = "cam-0", description = "Stream id (default: ${DEFAULT-VALUE}).")
    String stream;

    @Option(names = "--fps", paramLabel = "F", description = "Frames per second; 0 = as fast as possible (default: a video's own rate, "
            + "else 10). Live sources: at most F per second of stream time, dropping the rest (default: all, at the source's own pace).")
    Double fps;

    @Option(names = "--frames", paramLabel = "N", description = "Send N frames (synthetic default 100; a folder or video: each frame once, or N with --loop).")
    Long frames;

    @Option(names = "--loop", description = "Repeat the folder's files or the video.")
    boolean loop;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "320x240", description = "Synthetic frame size (default: ${DEFAULT-VALUE}).")
    String size;

    @Mixin TopicOptions.Frames framesTopic;

    @Option(names = "--topic", paramLabel = "TOPIC", hidden = true, description = "Old spelling of --frames-topic.")
    void topic(String t) {
        framesTopic.topic = t;
    }

    @Option(names = "--outage-timeout", paramLabel = "S", defaultValue = "300",
            description = "While the broker is unreachable, keep retrying (frames wait, in order) for up to S seconds before giving up (default: ${DEFAULT-VALUE}).")
    double outageTimeout;

    @Override
    public Integer call() throws Exception {
        if (outageTimeout <= 0) throw new UserError("--outage-timeout: must be > 0, got " + outageTimeout);
        if (fps != null && fps < 0) throw new UserError("--fps: must be >= 0, got " + fps);
        if (frames != null && frames < 0) throw new UserError("--frames: must be >= 0, got " + frames);
        if (stream.isBlank()) throw new UserError("--stream: must not be empty");
        FrameSource src = source(source);
        long total = src.size();
        // A video keeps its own timing; a camera delivers frames at its own pace, so no extra pacing is added.
        double pace = src instanceof LiveSource ? 0 : fps != null ? fps : src instanceof VideoSource v ? v.frameRate() : 10;
        String topic = framesTopic.get();
        try (src; LiveStop stop = src instanceof LiveSource l ? LiveStop.install("resdet produce", l::stop) : null;
             FrameProducer p = new FrameProducer(kafka.bootstrap(), topic, kafka.properties(),
                Duration.ofMillis((long) (outageTimeout * 1000)), notice -> System.err.println("resdet produce: " + notice));
             Progress progress = new Progress("produce " + stream, total < 0 ? 0 : total, "frames")) {
            long n = p.run(stream, src, pace, progress::update);
            System.err.println("resdet produce: sent " + n + " frames of stream " + stream + " to " + topic + " on " + kafka.bootstrap());
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), 1);
        } catch (IOException e) {
            // a video that turns out corrupt part-way: what was sent stays sent
            throw new UserError(e.getMessage(), 1);
        }
        return 0;
    }

    private FrameSource source(String spec) throws IOException {
        if (spec.equals("synthetic")) {
            String[] wh = size.toLowerCase().split("x");
            int w, h;
            try {
                w = Integer.parseInt(wh[0]);
                h = Integer.parseInt(wh[1]);
            } catch (RuntimeException e) {
                throw new UserError("--size: expected WxH like 320x240, got '" + size + "'");
            }
            try {
                return new SyntheticSource(w, h, frames == null ? 100 : frames, stream.hashCode());
            } catch (IllegalArgumentException e) {
                throw new UserError("--size: " + e.getMessage());
            }
        }
        long limit = frames == null ? -1 : frames;
        live.rejectUnlessLive(LiveReader.isLive(spec), null, null);
        if (LiveReader.isLive(spec)) {
            try {
                return LiveSource.open(spec, live.settings("resdet produce", 1, fps == null ? 0 : fps, frames));
            } catch (IOException e) {
                throw new UserError(e.getMessage());
            }
        }
        Path p = Path.of(spec);
        try {
            if (Files.isDirectory(p)) return new ImageFolderSource(p, loop, limit);
            if (Files.isRegularFile(p)) return VideoSource.file(p, loop, limit);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        throw new UserError(spec + ": no such file or folder (SOURCE is a video file, camera:N, an image folder or 'synthetic')");
    }
}
