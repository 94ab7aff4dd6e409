package io.resdet.image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/** Small files that are hostile to a decoder, for the tests of every path that takes images. */
public final class HostileImages {
    private HostileImages() {}

    /**
     * A valid PNG header declaring a {@code width x height} 8-bit greyscale canvas, with one empty data chunk: under
     * 100 bytes, whatever the size. A decoder that trusts the header allocates {@code width*height} bytes or more
     * (30000x30000: 900 MB; times 3 for RGB overflows an int).
     */
    public static byte[] pngDeclaring(int width, int height) {
        return greyPng(width, height, new byte[] {0x78, (byte) 0x9c, 0x03, 0x00});
    }

    /**
     * A valid all-black 8-bit greyscale PNG of {@code width x height}: zeros deflate to almost nothing, so a
     * 12000x12000 image is about 140 kB, and decoding it costs what its size says.
     */
    public static byte[] blackPng(int width, int height) {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(idat)) {
            byte[] row = new byte[width + 1]; // filter byte 0 (none) and the row's black pixels
            for (int y = 0; y < height; y++) z.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return greyPng(width, height, idat.toByteArray());
    }

    private static byte[] greyPng(int width, int height, byte[] idat) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(b);
            d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(width);
            h.writeInt(height);
            h.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit greyscale, deflate, adaptive filtering, no interlace
            chunk(d, "IHDR", ihdr.toByteArray());
            chunk(d, "IDAT", idat);
            chunk(d, "IEND", new byte[0]);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first half of a real {@code width x height} JPEG: decoders fill the missing part and warn. */
    public static byte[] truncatedJpeg(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) img.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 90);
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", b);
            byte[] jpeg = b.toByteArray();
            return Arrays.copyOf(jpeg, jpeg.length / 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
