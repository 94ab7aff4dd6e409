package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.testing.Oracle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The zip format of torch.save, written by torch itself at each pickle protocol it can use. */
class TorchZipFormatTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "pickle protocol {0}")
    @ValueSource(ints = {2, 4, 5})
    void readsEveryDtypeAndViewKind(int protocol) throws Exception {
        Path file = dir.resolve("all_dtypes.pth");
        JsonNode expected = ExpectedTensors.parse(
                Oracle.run(Oracle.resource("/io/resdet/io/all_dtypes.py"), file.toString(), "zip", String.valueOf(protocol)));

        assertEquals(Checkpoints.Format.TORCH_ZIP, Checkpoints.detect(file));
        ExpectedTensors.assertMatches(expected, Checkpoints.read(file));
    }

    @Test
    void findsTheArchivePrefixWhateverTheFileIsCalled() throws Exception {
        // torch names the zip's top folder after the file stem (up to the last dot); a renamed file keeps it.
        Path saved = dir.resolve("weights.v2");
        String out = Oracle.run("""
                import sys, torch, os
                torch.save({"w": torch.arange(4, dtype=torch.int64)}, sys.argv[1])
                os.rename(sys.argv[1], sys.argv[2])
                import zipfile
                print(sorted(zipfile.ZipFile(sys.argv[2]).namelist())[0].split("/")[0])
                """, saved.toString(), dir.resolve("renamed.bin").toString());

        assertEquals("weights", out.strip());
        StateDict sd = Checkpoints.read(dir.resolve("renamed.bin"));
        assertEquals(List.of("w"), sd.keys());
        assertArrayEquals(new long[] {0, 1, 2, 3}, sd.get("w").toLongArray());
    }
}
