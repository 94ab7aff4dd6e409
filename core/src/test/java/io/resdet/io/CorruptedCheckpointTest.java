package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.resdet.testing.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged copies of real checkpoints (every truncation, seeded byte flips) either still read or fail with a
 * one-line CheckpointException: no other exception, no OutOfMemoryError, no hang.
 */
class CorruptedCheckpointTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void writeCheckpoints() {
        Oracle.run("""
                import sys, os, torch
                torch.manual_seed(0)
                sd = {"w": torch.randn(2, 3).t(), "b": torch.arange(4, dtype=torch.int64)[1:], "n": torch.tensor(2)}
                torch.save(sd, os.path.join(sys.argv[1], "zip.pth"))
                torch.save(sd, os.path.join(sys.argv[1], "legacy.pth"), _use_new_zipfile_serialization=False)
                """, dir.toString());
    }

    @Test
    void everyTruncationOfALegacyFileFailsCleanly() throws Exception {
        byte[] good = Files.readAllBytes(dir.resolve("legacy.pth"));
        assertEquals(3, Checkpoints.read(dir.resolve("legacy.pth")).size());
        Path damaged = dir.resolve("legacy_cut.pth");
        for (int n = 1; n < good.length; n++) {
            Files.write(damaged, Arrays.copyOf(good, n));
            expectCleanFailure(damaged, "first " + n + " bytes");
        }
    }

    @Test
    void byteFlipsInLegacyAndZipFilesFailCleanlyOrRead() throws Exception {
        Random random = new Random(1234);
        for (String name : new String[] {"legacy.pth", "zip.pth"}) {
            byte[] good = Files.readAllBytes(dir.resolve(name));
            Path damaged = dir.resolve("flipped_" + name);
            for (int trial = 0; trial < 200; trial++) {
                byte[] bad = good.clone();
                int flips = 1 + random.nextInt(4);
                StringBuilder what = new StringBuilder(name);
                for (int f = 0; f < flips; f++) {
                    int at = random.nextInt(bad.length);
                    bad[at] = (byte) random.nextInt(256);
                    what.append(" @").append(at);
                }
                Files.write(damaged, bad);
                try {
                    Checkpoints.read(damaged);
                } catch (CheckpointException e) {
                    assertOneLine(damaged, e);
                } catch (Throwable t) {
                    fail("damaged " + what + ": " + t, t);
                }
            }
        }
    }

    private static void expectCleanFailure(Path file, String what) {
        try {
            Checkpoints.read(file);
            fail("read a checkpoint cut to its " + what);
        } catch (CheckpointException e) {
            assertOneLine(file, e);
        } catch (Throwable t) {
            fail("cut to its " + what + ": " + t, t);
        }
    }

    private static void assertOneLine(Path file, CheckpointException e) {
        assertTrue(e.getMessage().startsWith(file + ": ") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
