package io.resdet.image;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Decodes JPEG/PNG/BMP/GIF into {@link RgbImage} the way PIL's {@code convert("RGB")} does: grayscale
 * replicated into three channels (no colour-space conversion, which Java's {@code getRGB} would apply),
 * alpha dropped without compositing, 16-bit samples reduced to their high byte.
 */
public final class Images {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Images() {}

    /**
     * The default pixel limit: Pillow's decompression-bomb threshold ({@code 2 * Image.MAX_IMAGE_PIXELS}), so files
     * Pillow opens open here too, and a small file declaring a huge canvas (a 875-byte PNG of 30000x30000) is
     * refused from its header before any pixel memory is allocated.
     */
    public static final long DEFAULT_MAX_PIXELS = 2L * 89_478_485;

    /** The most pixels an {@link RgbImage} can hold: its three bytes per pixel live in one Java array. */
    public static final long MAX_ARRAY_PIXELS = (Integer.MAX_VALUE - 8) / 3;

    /** Reads an image file; failures are one-line {@link IOException}s naming the file. */
    public static RgbImage read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_PIXELS, stderrWarnings());
    }

    /**
     * Reads an image file of at most {@code maxPixels} pixels (checked from the header, before decoding);
     * decoder warnings (a truncated JPEG decodes with grey filling the missing part) go to {@code warnings}.
     */
    public static RgbImage read(Path file, long maxPixels, Consumer<String> warnings) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (IOException | OutOfMemoryError e) {
            throw new IOException(file + ": cannot read (" + oneLine(e) + ")");
        }
        return decode(bytes, file.toString(), maxPixels, warnings);
    }

    /** Decodes encoded image bytes; {@code name} labels errors; warnings go to stderr in one line each. */
    public static RgbImage decode(byte[] bytes, String name) throws IOException {
        return decode(bytes, name, DEFAULT_MAX_PIXELS, stderrWarnings());
    }

    /**
     * Decodes encoded image bytes of at most {@code maxPixels} pixels. The size is read from the header first, so
     * an oversized image costs nothing ({@link TooLargeException}); decoder warnings go to {@code warnings}, each
     * prefixed with {@code name}.
     */
    public static RgbImage decode(byte[] bytes, String name, long maxPixels, Consumer<String> warnings) throws IOException {
        if (bytes.length == 0) throw new IOException(name + ": empty file");
        long limit = Math.min(maxPixels, MAX_ARRAY_PIXELS);
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new IOException(name + ": not an image in a supported format (JPEG, PNG, BMP, GIF)");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                if (w * h > limit) throw new TooLargeException(name, w, h, limit);
                reader.addIIOReadWarningListener((source, warning) -> warnings.accept(name + ": " + warning));
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (TooLargeException e) {
            throw e;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            if (e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith(name + ": ")) throw io;
            throw new IOException(name + ": corrupt or unsupported image (" + oneLine(e) + ")");
        }
        if (img == null) throw new IOException(name + ": not an image in a supported format (JPEG, PNG, BMP, GIF)");
        return toRgb(img);
    }

    /** An image whose header declares more pixels than allowed; nothing was decoded. */
    public static final class TooLargeException extends IOException {
        private final long width, height;

        TooLargeException(String name, long width, long height, long limit) {
            super(name + ": " + width + "x" + height + " pixels, more than the limit of " + limit);
            this.width = width;
            this.height = height;
        }

        public long width() { return width; }

        public long height() { return height; }
    }

    private static Consumer<String> stderrWarnings() {
        return w -> System.err.println("warning: " + w);
    }

    /** Converts a decoded {@link BufferedImage} to RGB bytes without colour management. */
    public static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        if ((long) w * h > MAX_ARRAY_PIXELS) throw new IllegalArgumentException(w + "x" + h + " pixels do not fit one RGB array");
        byte[] out = new byte[w * h * 3];
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        boolean indexed = img.getColorModel() instanceof java.awt.image.IndexColorModel;
        if (!indexed && (bands == 1 || bands == 2)) {
            int shift = sampleShift(r);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    byte v = (byte) (row[x] >> shift);
                    int o = (y * w + x) * 3;
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                }
            }
        } else if (!indexed && bands >= 3 && img.getColorModel().getColorSpace().isCS_sRGB()) {
            int shift = sampleShift(r);
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = (byte) (row[x * bands] >> shift);
                    out[o + 1] = (byte) (row[x * bands + 1] >> shift);
                    out[o + 2] = (byte) (row[x * bands + 2] >> shift);
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x], o = (y * w + x) * 3;
                    out[o] = (byte) (p >> 16);
                    out[o + 1] = (byte) (p >> 8);
                    out[o + 2] = (byte) p;
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Converts RGB bytes to a {@link BufferedImage} (for drawing and writing). */
    public static BufferedImage toBufferedImage(RgbImage im) {
        BufferedImage b = new BufferedImage(im.width(), im.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((java.awt.image.DataBufferByte) b.getRaster().getDataBuffer()).getData();
        byte[] src = im.rgb();
        for (int i = 0; i < src.length; i += 3) {
            dst[i] = src[i + 2];
            dst[i + 1] = src[i + 1];
            dst[i + 2] = src[i];
        }
        return b;
    }

    private static int sampleShift(Raster r) {
        int bits = r.getSampleModel().getSampleSize(0);
        if (r.getDataBuffer().getDataType() == DataBuffer.TYPE_USHORT || bits > 8) return Math.max(0, bits - 8);
        return 0;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ');
    }
}
