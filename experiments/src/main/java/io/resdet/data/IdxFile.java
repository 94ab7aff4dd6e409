package io.resdet.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An IDX file (LeCun's MNIST format, also Fashion-MNIST's), plain or gzipped: two zero bytes, a type byte
 * ({@code 0x08}: unsigned byte, the only type these data sets use), the number of dimensions, each dimension as a
 * big-endian 32-bit count, then the data in row-major order. Every defect is an {@link IOException} whose one-line
 * message names the file and the offset in the IDX data (after decompression for a {@code .gz}).
 */
public record IdxFile(int[] dims, byte[] data) {
    private static final int UNSIGNED_BYTE = 0x08;

    /** Reads {@code file}, which must have {@code rank} dimensions. */
    public static IdxFile read(Path file, int rank) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": not found");
        }
        try (raw) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            Counting in;
            try {
                in = new Counting(gzip ? new GZIPInputStream(raw, 1 << 16) : raw);
            } catch (ZipException | EOFException e) {
                throw new IOException(file + ": broken gzip header (" + e.getMessage() + ")");
            }
            return parse(file, in, rank, gzip);
        }
    }

    private static IdxFile parse(Path file, Counting in, int rank, boolean gzip) throws IOException {
        String where = gzip ? " of the decompressed data" : "";
        byte[] magic = in.exactly(file, 4, where, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IOException(file + ": not an IDX file: bytes " + hex(magic) + " at offset 0" + where
                    + " (an IDX file starts 00 00 08 0" + rank + ")");
        }
        if ((magic[2] & 0xFF) != UNSIGNED_BYTE) {
            throw new IOException(file + ": data type 0x" + hex(magic[2]) + " at offset 2" + where + " is not unsigned byte (0x08)");
        }
        if (magic[3] != rank) {
            throw new IOException(file + ": " + magic[3] + " dimensions at offset 3" + where + ", expected " + rank);
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int d = 0; d < rank; d++) {
            long offset = in.count();
            byte[] b = in.exactly(file, 4, where, "dimension " + d);
            long v = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw new IOException(file + ": dimension " + d + " is " + v + " at offset " + offset + where);
            }
            dims[d] = (int) v;
            total *= v;
            if (total > Integer.MAX_VALUE - 64) {
                throw new IOException(file + ": dimensions " + Arrays.toString(Arrays.copyOf(dims, d + 1)) + " at offset 4"
                        + where + " promise more than 2 GB of data");
            }
        }
        long start = in.count();
        byte[] data = in.exactly(file, (int) total, where, "the " + total + " data bytes the header promises (dimensions "
                + Arrays.toString(dims) + ", data from offset " + start + ")");
        int extra;
        try {
            extra = in.read(); // also where a gzip stream's checksum is verified
        } catch (EOFException | ZipException e) {
            throw new IOException(file + ": compressed stream broken at offset " + in.count() + where + " after the data ("
                    + e.getMessage() + ")");
        }
        if (extra >= 0) {
            throw new IOException(file + ": unexpected bytes after the data at offset " + (in.count() - 1) + where
                    + " (dimensions " + Arrays.toString(dims) + " end there)");
        }
        return new IdxFile(dims, data);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(sb.length() > 0 ? " " : "").append(hex(x));
        return sb.toString();
    }

    private static String hex(byte b) {
        return String.format("%02x", b & 0xFF);
    }

    /** Counts the bytes read so an error can say where; turns a broken gzip stream into a one-line error. */
    private static final class Counting extends FilterInputStream {
        private long count;

        Counting(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        byte[] exactly(Path file, int n, String where, String what) throws IOException {
            byte[] out = new byte[n];
            int got = 0;
            try {
                while (got < n) {
                    int r = read(out, got, n - got);
                    if (r < 0) break;
                    got += r;
                }
            } catch (EOFException | ZipException e) {
                throw new IOException(file + ": compressed stream broken at offset " + count + where + " while reading " + what
                        + " (" + e.getMessage() + ")");
            }
            if (got < n) {
                throw new IOException(file + ": truncated at offset " + count + where + ": " + (n - got)
                        + " bytes short of " + what);
            }
            return out;
        }
    }
}
