package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.image.Images;
import io.resdet.nn.Weights;
import io.resdet.testing.Arrays2;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faster R-CNN v1 and v2 against torchvision on a batch of two odd-sized images: the padded batch, every
 * FPN level, the proposals and the final detections (boxes within 0.01 px, scores within 1e-4, same labels
 * in the same order).
 */
class FasterRCNNParityTest {
    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"v1, fasterrcnn_resnet50_fpn, 3, 91", "v2, fasterrcnn_resnet50_fpn_v2, 4, 21"})
    void everyStageMatchesTorchvision(String variant, String arch, int seed, int numClasses) throws Exception {
        Oracle.run(Oracle.resource("/oracle/fasterrcnn_forward.py"), variant, dir.toString(), "" + seed, "" + numClasses);
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN model = FasterRCNNs.builder().setArch(arch).optNumClasses(numClasses)
                    .optHeadsConfig(RoIHeads.HeadsConfig.defaults().withScoreThresh(0f)).build(m);
            Weights.load(model, dir.resolve("weights.pth"), true);
            model.eval();
            model.requiresGrad(false);
            Map<String, NDArray> want = Arrays2.readNpz(m, dir.resolve("expected.npz"));
            List<NDArray> images = List.of(
                    GeneralizedRCNNTransform.toTensor(m, Images.read(dir.resolve("img0.png"))),
                    GeneralizedRCNNTransform.toTensor(m, Images.read(dir.resolve("img1.png"))));

            FasterRCNN.Trace t = model.trace(images, RoIHeads.HeadsConfig.defaults().withScoreThresh(0f), model.transform());
            double batchErr = Arrays2.relMaxAbs(t.images().tensors(), want.get("batch"));
            assertTrue(batchErr < 1e-4, "transformed batch relative error " + batchErr);
            for (var e : t.features().entrySet()) {
                double rel = Arrays2.relMaxAbs(e.getValue(), want.get("feat_" + e.getKey()));
                assertTrue(rel < 1e-4, "FPN level " + e.getKey() + " relative error " + rel);
            }
            for (int i = 0; i < 2; i++) {
                NDArray p = t.proposals().get(i), q = want.get("proposals_" + i);
                assertEquals(q.getShape(), p.getShape(), "proposal count, image " + i);
                assertTrue(p.sub(q).abs().max().getFloat() < 0.01f, "proposals, image " + i);
            }

            List<RoIHeads.Result> dets = model.detect(images, RoIHeads.HeadsConfig.defaults().withScoreThresh(0f));
            for (int i = 0; i < 2; i++) {
                RoIHeads.Result r = dets.get(i);
                NDArray wb = want.get("boxes_" + i), ws = want.get("scores_" + i), wl = want.get("labels_" + i);
                assertTrue(wb.getShape().get(0) > 10, "the oracle should produce detections");
                assertEquals(wb.getShape(), r.boxes().getShape(), "detection count, image " + i);
                assertArrayEquals(wl.toLongArray(), r.labels().toLongArray(), "labels and order, image " + i);
                float boxErr = r.boxes().sub(wb).abs().max().getFloat();
                float scoreErr = r.scores().sub(ws).abs().max().getFloat();
                assertTrue(boxErr < 0.01f, "box error " + boxErr + " px, image " + i);
                assertTrue(scoreErr < 1e-4f, "score error " + scoreErr + ", image " + i);
            }
        }
    }
}
