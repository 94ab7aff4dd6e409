package io.resdet.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ImageFolder trees: sorted class folders give labels, images are resized, the test split reuses train's classes. */
class ImageFolderSetTest {
    private static void png(Path f, int w, int h, int rgb) throws IOException {
        Files.createDirectories(f.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        ImageIO.write(img, "png", f.toFile());
    }

    @Test
    void loadsSplitsWithSortedClasses(@TempDir Path root) throws IOException {
        png(root.resolve("train/zebra/a.png"), 40, 20, 0x102030);
        png(root.resolve("train/ant/b.png"), 32, 32, 0xFF0000);
        png(root.resolve("train/ant/c.png"), 8, 8, 0x00FF00);
        png(root.resolve("val/zebra/d.png"), 32, 32, 0x0000FF);
        DataSpec.Split s = DataSpec.parse("imagefolder:" + root).load(0);
        assertEquals(List.of("ant", "zebra"), s.train().classes());
        assertArrayEquals(new int[] {0, 0, 1}, s.train().labels());
        assertEquals(32, s.train().height());
        assertEquals(0x10, s.train().pixels()[2 * 3072] & 0xFF); // zebra image, red plane, after resizing
        assertEquals(0x30, s.train().pixels()[2 * 3072 + 2 * 1024 + 500] & 0xFF);
        assertArrayEquals(new int[] {1}, s.test().labels());
    }

    @Test
    void problemsNameThePath(@TempDir Path root) throws IOException {
        IOException e = assertThrows(IOException.class, () -> ImageFolderSet.load(root, "train", 32, null));
        assertTrue(e.getMessage().contains("train"), e.getMessage());
        Files.createDirectories(root.resolve("train/cat"));
        Files.writeString(root.resolve("train/cat/broken.png"), "not an image");
        e = assertThrows(IOException.class, () -> ImageFolderSet.load(root, "train", 32, null));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    }
}
