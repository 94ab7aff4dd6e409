package io.resdet.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Rows are on disk as soon as written, numbers locale-independent, NaN empty, text quoted when needed. */
class MetricsCsvTest {
    @Test
    void writesRowsImmediately(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m/metrics.csv");
        try (MetricsCsv csv = new MetricsCsv(f, List.of("arch", "iteration", "loss", "err"))) {
            csv.row("resnet20", 1, 2.302585093, Double.NaN);
            assertEquals(List.of("arch,iteration,loss,err", "resnet20,1,2.30259,"), Files.readAllLines(f));
            csv.row("a,b", 2L, 0.5f, 1e-7);
            assertThrows(IllegalArgumentException.class, () -> csv.row("too few"));
        }
        assertEquals("\"a,b\",2,0.500000,1.00000e-07", Files.readAllLines(f).get(2));
    }
}
