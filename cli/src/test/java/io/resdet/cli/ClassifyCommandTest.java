package io.resdet.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.testing.Arrays2;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `resdet classify` end to end: a torch.save checkpoint and PNG files in, torchvision's answers out. */
class ClassifyCommandTest {
    @TempDir static Path dir;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void oracle() {
        Oracle.run(Oracle.resource("/oracle/classify_cli.py"), "resnet18", dir.toString(), "23");
    }

    @Test
    void logitsAndTopKMatchTorchvision() throws Exception {
        var r = CliRun.of("classify", "--arch", "resnet18", "--weights", dir.resolve("weights.pth").toString(),
                "--logits", "--top", "3", dir.resolve("img0.png").toString(), dir.resolve("img1.png").toString(),
                dir.resolve("img2.png").toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> expected = Arrays2.readNpz(m, dir.resolve("logits.npz"));
            for (int i = 0; i < 3; i++) {
                JsonNode o = JSON.readTree(lines[i]);
                assertEquals(dir.resolve("img" + i + ".png").toString(), o.get("image").asText());
                float[] got = new float[1000];
                for (int k = 0; k < 1000; k++) got[k] = (float) o.get("logits").get(k).asDouble();
                NDArray want = expected.get("img" + i);
                double rel = Arrays2.relMaxAbs(m.create(got), want);
                assertTrue(rel < 1e-4, "image " + i + " relative error " + rel);
                float[] w = want.toFloatArray();
                int best = 0;
                for (int k = 1; k < 1000; k++) if (w[k] > w[best]) best = k;
                JsonNode top = o.get("top");
                assertEquals(3, top.size());
                assertEquals(best, top.get(0).get("index").asInt());
                assertTrue(top.get(0).get("score").asDouble() >= top.get(1).get("score").asDouble());
                assertEquals(io.resdet.backbone.ImageNetLabels.name(best), top.get(0).get("label").asText());
            }
        }
    }

    @Test
    void evalFolderReportsErrors() throws Exception {
        // An ImageFolder tree labelled with torchvision's own top-1 answers: top-1 error must be 0.
        Path tree = dir.resolve("tree");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> expected = Arrays2.readNpz(m, dir.resolve("logits.npz"));
            for (int i = 0; i < 3; i++) {
                float[] w = expected.get("img" + i).toFloatArray();
                int best = 0;
                for (int k = 1; k < 1000; k++) if (w[k] > w[best]) best = k;
                Path cls = Files.createDirectories(tree.resolve(Integer.toString(best)));
                Files.copy(dir.resolve("img" + i + ".png"), cls.resolve("img" + i + ".png"));
            }
        }
        var r = CliRun.of("classify", "--arch", "resnet18", "--weights", dir.resolve("weights.pth").toString(),
                "--eval", tree.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode o = JSON.readTree(r.out().strip());
        assertEquals(3, o.get("images").asInt());
        assertEquals(0.0, o.get("top1_error").asDouble());
        assertTrue(r.err().contains("3/3"), r.err());
    }

    @Test
    void badCheckpointIsOneLineAndNonZero() throws Exception {
        Path bad = Files.write(dir.resolve("truncated.pth"), java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("weights.pth")), 5000));
        var r = CliRun.of("classify", "--arch", "resnet18", "--weights", bad.toString(), dir.resolve("img0.png").toString());
        assertTrue(r.code() != 0);
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("truncated.pth"), r.err());
        // Wrong architecture for the weights: keys named in one line.
        var r2 = CliRun.of("classify", "--arch", "resnet34", "--weights", dir.resolve("weights.pth").toString(),
                dir.resolve("img0.png").toString());
        assertTrue(r2.code() != 0);
        assertEquals(1, r2.err().strip().lines().count(), r2.err());
        assertTrue(r2.err().contains("missing keys layer1.2.conv1.weight"), r2.err());
    }
}
