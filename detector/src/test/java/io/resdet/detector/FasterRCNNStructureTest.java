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

    @Test
    void otherDepthsAndClassCountsBuild() {
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN r18 = FasterRCNNs.builder().setArch("fasterrcnn_resnet18_fpn").optNumClasses(4).build(m);
            assertEquals(4, r18.numClasses());
            assertEquals(List.of(64, 64, 128, 256, 512), r18.backbone().body().stageChannels());
        }
    }
}
