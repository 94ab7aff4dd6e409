package io.resdet.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding limits and warnings: sizes come from the header, before any pixel memory is taken. */
class ImagesTest {
    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, b));
        return b.toByteArray();
    }

    private static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 128);
        return img;
    }

    @Test
    void hugeDeclaredCanvasIsRefusedFromTheHeader() throws IOException {
        byte[] png = HostileImages.pngDeclaring(30000, 30000);
        Images.TooLargeException e = assertThrows(Images.TooLargeException.class, () -> Images.decode(png, "bomb.png"));
        assertEquals("bomb.png: 30000x30000 pixels, more than the limit of 178956970", e.getMessage());
        assertEquals(30000, e.width());
        assertEquals(30000, e.height());
    }

    @Test
    void limitIsInclusive() throws IOException {
        byte[] png = encode(gradient(100, 100), "png");
        List<String> warnings = new ArrayList<>();
        RgbImage ok = Images.decode(png, "a.png", 10_000, warnings::add);
        assertEquals(100, ok.width());
        assertTrue(warnings.isEmpty());
        Images.TooLargeException e = assertThrows(Images.TooLargeException.class,
                () -> Images.decode(png, "a.png", 9_999, warnings::add));
        assertEquals("a.png: 100x100 pixels, more than the limit of 9999", e.getMessage());
    }

    @Test
    void decodesLikeImageIoRead() throws IOException {
        byte[] png = encode(gradient(37, 21), "png");
        RgbImage a = Images.decode(png, "g.png");
        RgbImage b = Images.toRgb(ImageIO.read(new java.io.ByteArrayInputStream(png)));
        assertArrayEquals(b.rgb(), a.rgb());
    }

    @Test
    void truncatedJpegDecodesWithAWarning() throws IOException {
        List<String> full = new ArrayList<>();
        Images.decode(encode(gradient(320, 240), "jpg"), "whole.jpg", Images.DEFAULT_MAX_PIXELS, full::add);
        assertTrue(full.isEmpty(), full.toString());

        List<String> warnings = new ArrayList<>();
        RgbImage im = Images.decode(HostileImages.truncatedJpeg(320, 240), "cut.jpg", Images.DEFAULT_MAX_PIXELS, warnings::add);
        assertEquals(320, im.width());
        assertFalse(warnings.isEmpty(), "a truncated JPEG must warn");
        assertTrue(warnings.get(0).startsWith("cut.jpg: "), warnings.get(0));
    }

    @Test
    void notAnImageIsOneLine() {
        IOException e = assertThrows(IOException.class,
                () -> Images.decode("name=value&x=1".getBytes(StandardCharsets.US_ASCII), "body"));
        assertEquals("body: not an image in a supported format (JPEG, PNG, BMP, GIF)", e.getMessage());
    }
}
