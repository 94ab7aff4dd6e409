package io.resdet.video;

import io.resdet.image.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An endless stream written as consecutive mp4 files {@code <dir>/<stem>-000.mp4}, {@code -001.mp4}, ...: a new one
 * every {@code segmentMicros} of stream time, and whenever the frame size changes (a camera reconnecting at another
 * resolution). Each finished segment is a complete, playable file, so a crash loses at most the open one. Not
 * thread-safe.
 */
public final class SegmentedVideoWriter implements AutoCloseable {
    private final Path dir;
    private final String stem;
    private final double frameRate;
    private final long segmentMicros;
    private final List<Path> files = new ArrayList<>();
    private VideoWriter current;
    private long segmentStart;

    public SegmentedVideoWriter(Path dir, String stem, double frameRate, long segmentMicros) {
        if (segmentMicros <= 0) throw new IllegalArgumentException("segment length must be > 0");
        this.dir = dir;
        this.stem = stem;
        this.frameRate = frameRate;
        this.segmentMicros = segmentMicros;
    }

    /** Appends {@code frame}, taken at {@code timestampMicros} on the stream's timeline. */
    public void write(RgbImage frame, long timestampMicros) throws IOException {
        if (current != null && (timestampMicros - segmentStart >= segmentMicros
                || frame.width() != current.width() || frame.height() != current.height())) {
            VideoWriter done = current;
            current = null;
            done.close();
        }
        if (current == null) {
            Path file = dir.resolve(String.format(Locale.ROOT, "%s-%03d.mp4", stem, files.size()));
            current = VideoWriter.open(file, frame.width(), frame.height(), frameRate);
            files.add(file);
            segmentStart = timestampMicros;
        }
        current.write(frame);
    }

    /** The files started so far, in order. */
    public List<Path> files() {
        return List.copyOf(files);
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            VideoWriter done = current;
            current = null;
            done.close();
        }
    }
}
