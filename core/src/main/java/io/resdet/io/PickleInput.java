package io.resdet.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A stream of known length, so that every length field read from it can be checked against the bytes
 * actually left before anything is allocated.
 */
final class PickleInput {
    private final Path file;
    private final InputStream in;
    private final long length;
    private long position;

    PickleInput(Path file, InputStream in, long length) {
        this.file = file;
        this.in = in;
        this.length = length;
    }

    long position() {
        return position;
    }

    long remaining() {
        return length - position;
    }

    int u8() throws IOException {
        if (position >= length) throw truncated(1);
        int b = in.read();
        if (b < 0) throw truncated(1);
        position++;
        return b;
    }

    /** Reads {@code n} bytes after checking they exist; a bogus length fails here rather than in the allocator. */
    byte[] bytes(long n) throws IOException {
        if (n < 0 || n > remaining() || n > Integer.MAX_VALUE - 8) throw truncated(n);
        byte[] b = new byte[(int) n];
        int off = 0;
        while (off < b.length) {
            int r = in.read(b, off, b.length - off);
            if (r < 0) throw truncated(n);
            off += r;
        }
        position += n;
        return b;
    }

    void skip(long n) throws IOException {
        if (n < 0 || n > remaining()) throw truncated(n);
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) throw truncated(n);
                s = 1;
            }
            left -= s;
        }
        position += n;
    }

    long le(int width) throws IOException {
        byte[] b = bytes(width);
        long v = 0;
        for (int i = width - 1; i >= 0; i--) v = (v << 8) | (b[i] & 0xff);
        return v;
    }

    /** A text line without its trailing newline (protocol-0 opcodes and GLOBAL names). */
    String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = u8(); c != '\n'; c = u8()) {
            if (sb.length() > 1 << 20) throw new CheckpointException(file, "pickle text line longer than 1 MiB");
            sb.append((char) c);
        }
        return sb.toString();
    }

    private IOException truncated(long wanted) {
        return new CheckpointException(file, "truncated data: needed " + wanted + " bytes at offset " + position
                + " but only " + Math.max(0, remaining()) + " remain", new EOFException());
    }
}
