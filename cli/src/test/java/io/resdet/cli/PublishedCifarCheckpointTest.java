package io.resdet.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.backbone.DatasetLabels;
import io.resdet.io.Checkpoints;
import io.resdet.io.StateDict;
import io.resdet.testing.Arrays2;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * akamaster/pytorch_resnet_cifar10's published checkpoint layout — {@code {'state_dict', 'best_prec1'}} of a
 * DataParallel model whose classifier is {@code linear} — loads as it is in {@code classify} and {@code convert}, from
 * the legacy and the zip serialisation, and gives PyTorch's logits with that project's preprocessing.
 */
class PublishedCifarCheckpointTest {
    @TempDir static Path dir;
    static List<String> torchKeys;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void oracle() {
        torchKeys = List.of(Oracle.run(Oracle.resource("/oracle/akamaster_checkpoint.py"), "20", dir.toString(), "5").strip().split(" "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "zip"})
    void classifyLoadsThePublishedLayoutAndMatchesPyTorch(String format) throws Exception {
        assertTrue(torchKeys.contains("module.linear.weight") && torchKeys.contains("module.layer3.2.bn2.running_var"), torchKeys.toString());
        Path weights = dir.resolve("resnet20-" + format + ".th");
        var r = CliRun.of("classify", "--arch", "resnet20", "--weights", weights.toString(), "--logits", "--top", "2",
                dir.resolve("img0.png").toString(), dir.resolve("img1.png").toString(), dir.resolve("img2.png").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(weights + ": read linear.* as fc.* (the classifier's name in akamaster/pytorch_resnet_cifar10's CIFAR ResNets)",
                r.err().strip().replaceFirst("^resdet classify: ", ""), "one stderr line, the mapping");
        String[] lines = r.out().strip().split("\n");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> expected = Arrays2.readNpz(m, dir.resolve("logits.npz"));
            for (int i = 0; i < 3; i++) {
                JsonNode o = JSON.readTree(lines[i]);
                float[] got = new float[10];
                for (int k = 0; k < 10; k++) got[k] = (float) o.get("logits").get(k).asDouble();
                NDArray want = expected.get("img" + i);
                double rel = Arrays2.relMaxAbs(m.create(got), want);
                assertTrue(rel < 1e-4, "image " + i + " relative error " + rel);
                int best = o.get("top").get(0).get("index").asInt();
                float[] w = want.toFloatArray();
                for (float v : w) assertTrue(v <= w[best], "top-1 is PyTorch's largest logit");
                assertEquals(DatasetLabels.CIFAR10.get(best), o.get("top").get(0).get("label").asText(), "CIFAR-10's names by default");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void labelsOptionNamesFashionMnistClasses() {
        var r = CliRun.of("classify", "--arch", "resnet20", "--weights", dir.resolve("resnet20-zip.th").toString(),
                "--labels", "fashion-mnist", "--top", "10", dir.resolve("img0.png").toString());
        assertEquals(0, r.code(), r.err());
        for (String name : DatasetLabels.FASHION_MNIST) assertTrue(r.out().contains("\"" + name + "\""), r.out());
    }

    @org.junit.jupiter.api.Test
    void convertWritesResdetNamesAndTheSameTensors() throws Exception {
        Path st = dir.resolve("resnet20.safetensors");
        var r = CliRun.of("convert", "--arch", "resnet20", dir.resolve("resnet20-legacy.th").toString(), st.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("read linear.* as fc.*"), r.err());
        StateDict in = Checkpoints.read(dir.resolve("resnet20-legacy.th")), out = Checkpoints.read(st);
        assertEquals(in.size(), out.size());
        for (String k : in.keys()) {
            String renamed = k.startsWith("linear.") ? "fc." + k.substring(7) : k;
            assertEquals(in.get(k), out.get(renamed), k);
        }
        assertTrue(!out.contains("linear.weight") && out.contains("fc.weight"));
        // The wrong depth for the checkpoint: one line naming the file and the keys.
        var bad = CliRun.of("convert", "--arch", "resnet32", dir.resolve("resnet20-zip.th").toString(), dir.resolve("x.safetensors").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("resnet20-zip.th") && bad.err().contains("missing keys layer1.3.conv1.weight"), bad.err());
    }
}
