package io.resdet.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The named weights: torchvision's published facts, hash prefixes from file names, extra entries from a file. */
class ModelRegistryTest {
    @TempDir Path dir;

    @Test
    void torchvisionEntriesCarryTheirPublishedFacts() {
        ModelRegistry r = ModelRegistry.builtInOnly();
        ModelEntry v1 = r.get("fasterrcnn_resnet50_fpn.coco_v1");
        assertEquals("https://download.pytorch.org/models/fasterrcnn_resnet50_fpn_coco-258fb6c6.pth", v1.url());
        assertEquals("258fb6c6", ModelEntry.hashPrefix(v1.fileName()));
        assertEquals(41_755_286, v1.parameters());
        assertEquals(37.0, v1.metrics().get("box_map"));
        assertEquals(46.7, r.get("fasterrcnn_resnet50_fpn_v2.coco_v1").metrics().get("box_map"));
        ModelEntry r50 = r.get("resnet50.imagenet1k_v2");
        assertEquals("resnet50-11ad3fa6.pth", r50.fileName());
        assertEquals(232, r50.resizeSize());
        assertEquals(80.858, r50.metrics().get("acc@1"));
        assertEquals(256, r.get("resnet50.imagenet1k_v1").resizeSize());
        assertEquals("shapes-resnet18-fpn.safetensors", r.get("resdet-shapes").fileName());
        assertEquals(20, r.entries().size(), "2 COCO detectors, the bundled one, 17 ImageNet classifiers");
    }

    @Test
    void hashPrefixFollowsTorchvisionsRegex() {
        assertEquals("11ad3fa6", ModelEntry.hashPrefix("resnet50-11ad3fa6.pth"));
        assertEquals("258fb6c6", ModelEntry.hashPrefix("fasterrcnn_resnet50_fpn_coco-258fb6c6.pth"));
        assertNull(ModelEntry.hashPrefix("model.safetensors"));
        assertNull(ModelEntry.hashPrefix("my-model.pth"), "letters beyond a-f are no hash");
    }

    @Test
    void unknownNamesSuggestTheirSiblings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRegistry.builtInOnly().get("resnet50"));
        assertEquals("unknown model 'resnet50'; did you mean resnet50.imagenet1k_v1, resnet50.imagenet1k_v2?", e.getMessage());
        assertEquals("unknown model 'yolo'; 'resdet models' lists them",
                assertThrows(IllegalArgumentException.class, () -> ModelRegistry.builtInOnly().get("yolo")).getMessage());
    }

    @Test
    void extraEntriesComeFromAFileAndBadOnesAreNamed() throws IOException {
        Path f = Files.writeString(dir.resolve("models.json"), "[{\"name\":\"site.cars_v3\",\"task\":\"detection\","
                + "\"arch\":\"fasterrcnn_resnet50_fpn_v2\",\"url\":\"http://models.local/cars-0123abcd.pth\",\"numClasses\":3,"
                + "\"labels\":\"background,car,truck\",\"metrics\":{\"box_map\":51.2}}]");
        ModelRegistry r = ModelRegistry.load(Map.of("RESDET_MODEL_REGISTRY", f.toString()));
        ModelEntry e = r.get("site.cars_v3");
        assertEquals(3, e.numClasses());
        assertEquals("0123abcd", ModelEntry.hashPrefix(e.fileName()));
        assertEquals(51.2, e.metrics().get("box_map"));
        Files.writeString(f, "[{\"name\":\"x\",\"task\":\"segmentation\",\"arch\":\"a\",\"url\":\"http://h/x.pth\"}]");
        assertEquals(f + ": entry 0: task must be detection or classification, got 'segmentation'",
                assertThrows(IOException.class, () -> ModelRegistry.load(Map.of("RESDET_MODEL_REGISTRY", f.toString()))).getMessage());
        Files.writeString(f, "[{\"name\":\"x\",\"task\":\"detection\",\"arch\":\"a\",\"url\":\"file:///etc/passwd\"}]");
        assertEquals(f + ": entry 0: url must be http(s), got 'file:///etc/passwd'",
                assertThrows(IOException.class, () -> ModelRegistry.load(Map.of("RESDET_MODEL_REGISTRY", f.toString()))).getMessage());
    }
}
