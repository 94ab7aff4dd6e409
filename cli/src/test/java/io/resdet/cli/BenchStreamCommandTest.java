package io.resdet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `bench stream`: the throughput/latency table, and a short soak with its samples, table and plot. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BenchStreamCommandTest {
    @Test
    void throughputTableComparesKafkaWithInProcess() {
        CliRun r = CliRun.of("bench", "stream", "--frames", "12", "--size", "96x72", "--batch", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| in-process detect (batch time) | 12 | 2 | 1 |"), r.out());
        assertTrue(r.out().contains("| through Kafka (embedded broker; capture to result read, paced at "), r.out());
        assertTrue(r.out().matches("(?s).*Kafka / in-process throughput: \\d+\\.\\d\\d .*"), r.out());
    }

    @Test
    void soakSamplesMemoryAndThroughputAndPlotsThem(@TempDir Path out) throws Exception {
        CliRun r = CliRun.of("bench", "stream", "--soak-minutes", "0.2", "--sample-seconds", "3", "--size", "96x72", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.matches("\\| \\d+ \\| \\d+ \\| \\d+ \\| \\d+ \\| \\d+\\.\\d\\d \\| \\d+ \\|")).toList();
        assertTrue(rows.size() >= 3, "a sample every 3 s for 12 s: " + r.out());
        long results = Long.parseLong(rows.get(rows.size() - 1).replaceAll(".*\\| (\\d+) \\|$", "$1"));
        assertTrue(results > 0, "the pipeline ran: " + r.out());
        assertTrue(r.out().contains(" to the end (after warm-up): "), r.out());
        BufferedImage png = ImageIO.read(out.resolve("soak.png").toFile());
        assertEquals(1120, png.getWidth());
        assertTrue(Files.readString(out.resolve("soak.md")).contains("![soak](soak.png)"));
    }
}
