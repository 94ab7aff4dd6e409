package io.resdet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `resdet experiment oracle` end to end on a tiny run (the real comparison is TrainingOracleTest's), and its errors. */
class ExperimentOracleCommandTest {
    @Test
    void printsTheTableAndWritesCurvesAndSummary(@TempDir Path out) throws Exception {
        CliRun r = CliRun.of("experiment", "oracle", "--data", "synthetic:40", "--arch", "plain_resnet8", "--iterations", "12",
                "--batch", "8", "--noise-runs", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("| synthetic:40 | plain_resnet8 | 12 × 8 |") && r.out().contains("| tracks |"), r.out());
        List<String> rows = Files.readAllLines(out.resolve("synthetic_40").resolve("curves.csv"));
        assertEquals("iteration,resdet_loss,torch_loss,torch_perturbed1_loss,resdet_error,torch_error,resdet_lr,torch_lr", rows.get(0));
        assertEquals(13, rows.size());
        String[] first = rows.get(1).split(",");
        assertEquals(first[1], first[2], "the first iteration's losses agree to the printed digits");
        assertFalse(Files.exists(out.resolve("synthetic_40").resolve("exchange")), "the exchanged batches are removed");
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("every tensor's spread matches") && md.contains("identical at every iteration"), md);
    }

    @Test
    void badInputEndsInOneLine(@TempDir Path out) {
        CliRun r = CliRun.of("experiment", "oracle", "--data", "synthetic:40", "--arch", "resnet50", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("resnetN or plain_resnetN") && r.lastErrLine().contains("resnet50"), r.err());

        r = CliRun.of("experiment", "oracle", "--data", "synthetic:40", "--arch", "resnet8", "--iterations", "2", "--batch", "4",
                "--python", out.resolve("no-python").toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("cannot start the PyTorch reference") && r.lastErrLine().contains("python3-torch"), r.err());

        r = CliRun.of("experiment", "oracle", "--data", "fashion-mnist:" + out.resolve("nowhere"), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.lastErrLine().contains("nowhere: no such folder"), r.err());
    }
}
