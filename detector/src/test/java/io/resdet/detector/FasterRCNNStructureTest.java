package io.resdet.detector;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Parameter counts and state-dict keys (names, order, shapes) equal torchvision's. */
class FasterRCNNStructureTest {
    private static final String KEYS = """
            import json, sys, torchvision
            from torchvision.models.detection import FasterRCNN
            from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
            from torchvision.ops import misc
            if sys.argv[1] == "v1":
                m = FasterRCNN(_resnet_fpn_extractor(torchvision.models.resnet50(norm_layer=misc.FrozenBatchNorm2d), 3), num_classes=91)
            else:
                m = torchvision.models.detection.fasterrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None)
            print(json.dumps({"keys": [[k, list(v.shape)] for k, v in m.state_dict().items()],
                              "params": sum(p.numel() for p in m.parameters())}))
            """;

    /** The published counts (frozen-BN affine terms are buffers in v1). */
    @ParameterizedTest
    @CsvSource({"fasterrcnn_resnet50_fpn, 41755286", "fasterrcnn_resnet50_fpn_v2, 43712278"})
    void publishedParameterCounts(String arch, long expected) {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(expected, FasterRCNNs.builder().setArch(arch).build(m).parameterCount());
        }
    }

    @ParameterizedTest
    @CsvSource({"v1, fasterrcnn_resnet50_fpn", "v2, fasterrcnn_resnet50_fpn_v2"})
    void stateDictKeysAndShapesMatchTorchvision(String variant, String arch) throws Exception {
        JsonNode o = new ObjectMapper().readTree(Oracle.run(KEYS, variant));
        List<String> want = new ArrayList<>();
        for (JsonNode k : o.get("keys")) want.add(k.get(0).asText() + " " + k.get(1));
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN net = FasterRCNNs.builder().setArch(arch).build(m);
            List<String> got = new ArrayList<>();
            for (Map.Entry<String, io.resdet.nn.Param> e : net.namedTensors().entrySet()) {
                long[] s = e.getValue().get().getShape().getShape();
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < s.length; i++) sb.append(i > 0 ? "," : "").append(s[i]);
                got.add(e.getKey() + " " + sb.append("]"));
            }
            assertEquals(want, got);
            assertEquals(o.get("params").asLong(), net.parameterCount());
        }
    }

    /**
     * torchvision's 2019 COCO download predates Conv2dNormActivation: legacy (non-zip) format and keys
     * like {@code rpn.head.conv.weight}, {@code backbone.fpn.inner_blocks.0.weight}. They load, upgraded.
     */
    @Test
    void oldStyleLegacyCheckpointLoads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Oracle.run("""
                import re, sys, torch, torchvision
                from torchvision.models.detection import FasterRCNN
                from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
                from torchvision.ops import misc
                torch.manual_seed(0)
                m = FasterRCNN(_resnet_fpn_extractor(torchvision.models.resnet18(norm_layer=misc.FrozenBatchNorm2d), 3), num_classes=91)
                old = {}
                for k, v in m.state_dict().items():
                    k = re.sub(r"^(backbone\\.fpn\\.(inner|layer)_blocks\\.\\d+)\\.0\\.(weight|bias)$", r"\\1.\\3", k)
                    k = re.sub(r"^rpn\\.head\\.conv\\.0\\.0\\.(weight|bias)$", r"rpn.head.conv.\\1", k)
                    old[k] = v
                assert "rpn.head.conv.weight" in old and "backbone.fpn.inner_blocks.0.weight" in old
                torch.save(old, sys.argv[1], _use_new_zipfile_serialization=False)
                """, dir.resolve("old.pth").toString());
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN net = FasterRCNNs.builder().setArch("fasterrcnn_resnet18_fpn").build(m);
            var report = DetectorWeights.load(net, dir.resolve("old.pth"), true);
            assertEquals(true, report.clean(), report.describe());
        }
    }

    @Test
    void otherDepthsAndClassCountsBuild() {
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN r18 = FasterRCNNs.builder().setArch("fasterrcnn_resnet18_fpn").optNumClasses(4).build(m);
            assertEquals(4, r18.numClasses());
            assertEquals(List.of(64, 64, 128, 256, 512), r18.backbone().body().stageChannels());
        }
    }
}
