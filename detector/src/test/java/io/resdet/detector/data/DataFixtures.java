package io.resdet.detector.data;

import io.resdet.image.Images;
import io.resdet.image.RgbImage;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Small real files for the data tests: images whose pixels identify them, COCO files written by hand. */
final class DataFixtures {
    private DataFixtures() {}

    /** A w×h image whose pixel (x, y) is (x, y, tag): position and identity can be read back after flips. */
    static RgbImage tagged(int w, int h, int tag) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                rgb[p] = (byte) x;
                rgb[p + 1] = (byte) y;
                rgb[p + 2] = (byte) tag;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    static void writePng(RgbImage im, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(Images.toBufferedImage(im), "png", file.toFile());
    }

    /**
     * A COCO set of images with the given sizes, image i ({@code i.png}, id i + 1) holding one box of category 1
     * at its left half; returns the annotation file.
     */
    static Path cocoSet(Path dir, int[][] sizes) throws IOException {
        StringBuilder images = new StringBuilder(), anns = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            int w = sizes[i][0], h = sizes[i][1];
            writePng(tagged(w, h, i), dir.resolve("images").resolve(i + ".png"));
            if (i > 0) {
                images.append(',');
                anns.append(',');
            }
            images.append(String.format(Locale.ROOT, "{\"id\":%d,\"file_name\":\"%d.png\",\"width\":%d,\"height\":%d}", i + 1, i, w, h));
            anns.append(String.format(Locale.ROOT, "{\"id\":%d,\"image_id\":%d,\"category_id\":1,\"bbox\":[0,0,%d,%d],\"iscrowd\":0}",
                    i + 1, i + 1, w / 2, h));
        }
        Path gt = dir.resolve("gt.json");
        Files.writeString(gt, "{\"images\":[" + images + "],\"annotations\":[" + anns + "],\"categories\":[{\"id\":1,\"name\":\"thing\"}]}",
                StandardCharsets.UTF_8);
        return gt;
    }
}
