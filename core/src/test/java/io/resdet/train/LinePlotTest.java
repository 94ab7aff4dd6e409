package io.resdet.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plots render headless into a PNG of the requested size with every series' colour drawn. */
class LinePlotTest {
    @Test
    void panelsSideBySideWithEachSeriesVisible(@TempDir Path dir) throws Exception {
        double[] x = {0, 1, 2, 3, 4};
        Color a = new Color(200, 10, 10), b = new Color(10, 10, 200), c = new Color(10, 160, 10);
        LinePlot left = new LinePlot("left", "iteration", "error (%)")
                .add(new LinePlot.Series("", x, new double[] {90, 70, 50, 40, 35}, a, true))
                .add(new LinePlot.Series("a", x, new double[] {95, 80, 60, 55, 50}, a, false))
                .yRange(0, 100);
        LinePlot right = new LinePlot("right", "iteration", "norm").logY()
                .add(new LinePlot.Series("b", x, new double[] {1e-3, 1e-2, 1e-1, 1, 10}, b, false))
                .add(new LinePlot.Series("c", x, new double[] {5, Double.NaN, 0, 3, 2}, c, true));
        Path png = dir.resolve("sub/plot.png");
        LinePlot.writePng(png, List.of(left, right), 300, 200);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(600, img.getWidth());
        assertEquals(200, img.getHeight());
        assertTrue(count(img, 0, 300, a) > 50, "series a drawn in the left panel");
        assertTrue(count(img, 300, 600, b) > 50, "series b drawn in the right panel");
        assertTrue(count(img, 300, 600, c) > 10, "series c drawn despite NaN and non-positive values on a log axis");
        assertEquals(0, count(img, 0, 300, b), "no right-panel series leaks into the left panel");
    }

    private static int count(BufferedImage img, int x0, int x1, Color c) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = x0; x < x1; x++) if ((img.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) n++;
        }
        return n;
    }
}
