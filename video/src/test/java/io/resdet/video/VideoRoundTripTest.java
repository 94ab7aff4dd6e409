package io.resdet.video;

import io.resdet.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VideoWriter → file → VideoReader: frame count, size, order and (lossy) pixels survive; bad files fail in one line. */
class VideoRoundTripTest {
    @TempDir Path dir;

    /** A frame whose left-to-right bright bar position encodes its index, so order is checkable after lossy coding. */
    static RgbImage frame(int w, int h, int index, int count) {
        byte[] rgb = new byte[w * h * 3];
        int bar = (w - 16) * index / Math.max(1, count - 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                boolean on = x >= bar && x < bar + 16;
                rgb[o] = (byte) (on ? 250 : 40);
                rgb[o + 1] = (byte) (on ? 250 : (y * 255 / h));
                rgb[o + 2] = (byte) (on ? 250 : 90);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    static int brightestColumn(RgbImage im) {
        int best = 0;
        long bestSum = -1;
        for (int x = 0; x < im.width(); x++) {
            long s = 0;
            for (int y = 0; y < im.height(); y++) s += im.rgb()[(y * im.width() + x) * 3] & 0xff;
            if (s > bestSum) {
                bestSum = s;
                best = x;
            }
        }
        return best;
    }

    @Test
    void writesAndReadsBackEveryFrameInOrder() throws IOException {
        for (String ext : new String[] {"mp4", "avi"}) {
            Path f = dir.resolve("clip." + ext);
            int w = 96, h = 64, n = 7;
            try (VideoWriter vw = VideoWriter.open(f, w, h, 10)) {
                for (int i = 0; i < n; i++) vw.write(frame(w, h, i, n));
                assertEquals(n, vw.framesWritten());
            }
            try (VideoReader r = VideoReader.open(f)) {
                assertEquals(w, r.width());
                assertEquals(h, r.height());
                assertEquals(10.0, r.frameRate(), 1e-6, ext);
                for (int i = 0; i < n; i++) {
                    VideoFrame vf = r.next();
                    assertEquals(i, vf.index());
                    assertEquals(w, vf.image().width());
                    int expectedBar = (w - 16) * i / (n - 1);
                    int col = brightestColumn(vf.image());
                    assertTrue(col >= expectedBar - 2 && col < expectedBar + 18, ext + " frame " + i + ": bar at " + col);
                }
                assertNull(r.next(), ext + ": no frames after the last");
            }
        }
    }

    @Test
    void corruptOrMissingVideoIsOneLineNamingTheFile() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.mp4"), "this is not a video\n".repeat(50));
        IOException e = assertThrows(IOException.class, () -> VideoReader.open(junk));
        assertTrue(e.getMessage().startsWith(junk.toString() + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        IOException missing = assertThrows(IOException.class, () -> VideoReader.open(dir.resolve("nope.mp4")));
        assertTrue(missing.getMessage().contains("nope.mp4: no such file"), missing.getMessage());
    }
}
