package io.resdet.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint could not be read or written. The message is always one line that starts with the file,
 * e.g. {@code model.pth: truncated zip (expected entry archive/data/3)}, so it can be logged or shown as is.
 */
public class CheckpointException extends IOException {
    private final transient Path file;

    public CheckpointException(Path file, String detail) {
        super(oneLine(file + ": " + detail));
        this.file = file;
    }

    public CheckpointException(Path file, String detail, Throwable cause) {
        super(oneLine(file + ": " + detail), cause);
        this.file = file;
    }

    /** The checkpoint the message is about. */
    public Path file() {
        return file;
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }
}
