package io.resdet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.resdet.testing.Oracle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pre-1.6 format (torch.save with _use_new_zipfile_serialization=False), written by torch itself. */
class TorchLegacyFormatTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "pickle protocol {0}")
    @ValueSource(ints = {2, 4, 5})
    void readsEveryDtypeAndViewKind(int protocol) throws Exception {
        Path file = dir.resolve("all_dtypes.pth");
        JsonNode expected = ExpectedTensors.parse(
                Oracle.run(Oracle.resource("/io/resdet/io/all_dtypes.py"), file.toString(), "legacy", String.valueOf(protocol)));

        assertEquals(Checkpoints.Format.TORCH_LEGACY, Checkpoints.detect(file));
        ExpectedTensors.assertMatches(expected, Checkpoints.read(file));
    }
}
