package io.resdet.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files in the CIFAR binary record layout read back label and pixels; malformed ones name the file. */
class CifarBinaryTest {
    private static byte[] records(int n, int labelBytes, int seed) {
        int rec = labelBytes + 3072;
        byte[] b = new byte[n * rec];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < labelBytes; l++) b[i * rec + l] = (byte) ((i * 3 + l + seed) % 10);
            for (int k = 0; k < 3072; k++) b[i * rec + labelBytes + k] = (byte) (k * 7 + i + seed);
        }
        return b;
    }

    @Test
    void cifar10TrainAndTest(@TempDir Path dir) throws IOException {
        for (int i = 1; i <= 5; i++) Files.write(dir.resolve("data_batch_" + i + ".bin"), records(2, 1, i));
        Files.write(dir.resolve("test_batch.bin"), records(3, 1, 0));
        ImageSet train = CifarBinary.cifar10(dir, true), test = CifarBinary.cifar10(dir, false);
        assertEquals(10, train.size());
        assertEquals(3, test.size());
        assertEquals((3 + 0 + 2) % 10, train.labels()[3]); // second file (seed 2), second record
        assertEquals((byte) (5 * 7 + 1 + 2), train.pixels()[3 * 3072 + 5]);
        assertEquals("airplane", train.classes().get(0));
    }

    @Test
    void cifar100UsesTheFineLabel(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("train.bin"), records(4, 2, 0));
        ImageSet s = CifarBinary.cifar100(dir, true);
        assertEquals(100, s.classes().size());
        assertEquals((3 * 3 + 1) % 10, s.labels()[3]);
    }

    @Test
    void truncatedOrMissingFilesAreNamed(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("test_batch.bin"), new byte[3073 + 10]);
        IOException e = assertThrows(IOException.class, () -> CifarBinary.cifar10(dir, false));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("3073-byte records"), e.getMessage());
        e = assertThrows(IOException.class, () -> CifarBinary.cifar10(dir, true));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("not found"), e.getMessage());
    }
}
