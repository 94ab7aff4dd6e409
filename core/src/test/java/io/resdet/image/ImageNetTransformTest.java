package io.resdet.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.testing.Arrays2;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding + Pillow-exact resize + crop + normalise equal torchvision's PIL pipeline bit for bit. */
class ImageNetTransformTest {
    @TempDir Path dir;

    @Test
    void matchesTorchvisionOnOddSizesAndModes() throws Exception {
        Oracle.run(Oracle.resource("/oracle/imagenet_transform.py"), dir.toString(), "11");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> expected = Arrays2.readNpz(m, dir.resolve("expected.npz"));
            assertEquals(6, expected.size());
            for (var e : expected.entrySet()) {
                RgbImage im = Images.read(dir.resolve(e.getKey() + ".png"));
                NDArray got = ImageNetTransform.standard().apply(m, im);
                float[] a = got.toFloatArray(), b = e.getValue().toFloatArray();
                assertEquals(b.length, a.length, e.getKey());
                for (int i = 0; i < a.length; i++) {
                    assertEquals(b[i], a[i], 0f, e.getKey() + " element " + i);
                }
            }
        }
    }

    @Test
    void badFilesGiveOneLineErrorsNamingTheFile() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jpg"));
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        for (Path p : new Path[] {empty, text, dir.resolve("missing.png")}) {
            var ex = assertThrows(java.io.IOException.class, () -> Images.read(p));
            assertTrue(ex.getMessage().startsWith(p.toString()), ex.getMessage());
            assertEquals(1, ex.getMessage().lines().count());
        }
    }
}
