package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code resdet eval mot}: the JSON keys and values of a known case, the table, one-line refusals with exit 2. */
class EvalMotCommandTest {
    @TempDir Path tmp;

    @Test
    void jsonAndTable() throws Exception {
        // One object in 4 frames, tracked as 5 then 6 (MotMetricsTest.idSwitch): MOTA 0.75, IDF1 0.5, 1 switch.
        Path gt = tmp.resolve("gt.txt"), dt = tmp.resolve("res.txt");
        Files.writeString(gt, "1,1,0,0,10,10,1,1,1\n2,1,0,0,10,10,1,1,1\n3,1,0,0,10,10,1,1,1\n4,1,0,0,10,10,1,1,1\n");
        Files.writeString(dt, "1,5,0,0,10,10,0.9,-1,-1,-1\n2,5,0,0,10,10,0.9,-1,-1,-1\n3,6,0,0,10,10,0.9,-1,-1,-1\n4,6,0,0,10,10,0.9,-1,-1,-1\n");
        CliRun r = CliRun.of("eval", "mot", "--gt", gt.toString(), "--dt", dt.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(0.75, j.get("mota").asDouble(), 1e-12);
        assertEquals(0.5, j.get("idf1").asDouble(), 1e-12);
        assertEquals(1, j.get("id_switches").asInt());
        assertEquals(0, j.get("fragmentations").asInt());
        assertEquals(Math.sqrt(0.5), j.get("hota").asDouble(), 1e-12);
        CliRun t = CliRun.of("eval", "mot", "--gt", gt.toString(), "--dt", dt.toString(), "--iou", "0.5");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().startsWith("MOTA    0.7500"), t.out());
    }

    @Test
    void badLineIsOneLineWithExitTwo() throws Exception {
        Path gt = tmp.resolve("gt.txt"), dt = tmp.resolve("res.txt");
        Files.writeString(gt, "1,1,0,0,10,10,1,1,1\n");
        Files.writeString(dt, "1,5,0,0,10,10,0.9\n1,6,0,zero,10,10,0.9\n");
        CliRun r = CliRun.of("eval", "mot", "--gt", gt.toString(), "--dt", dt.toString(), "--json");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.lastErrLine().endsWith(dt + ":2: y is not a number: 'zero'"), r.err());
        CliRun missing = CliRun.of("eval", "mot", "--gt", tmp.resolve("nope.txt").toString(), "--dt", dt.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.lastErrLine().contains("nope.txt: no such file"), missing.err());
    }
}
