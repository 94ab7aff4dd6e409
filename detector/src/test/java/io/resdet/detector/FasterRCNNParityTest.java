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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faster R-CNN v1 and v2 against torchvision on a batch of two odd-sized (upscaled) images. Stage by
 * stage from torchvision's own transformed batch: every FPN level (1e-4 relative), the proposals and the
 * final detections (boxes within 0.01 px, scores within 1e-4, the same labels in the same score order).
 * Then end to end through resdet's own transform, whose bilinear resize (libtorch 2.7) differs from torch
 * 1.13's in the last bits (≤ 1e-4 relative), with the same tolerances. Measured: proposals within 0.001 px,
 * detections within 2e-4 px and 1e-6 in score. Then all of it again as the detector runs the network
 * ({@link FasterRCNN#optimizeForInference()}: batch norm folded, channels-last), with the same tolerances.
 */
class FasterRCNNParityTest {
    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"v1, fasterrcnn_resnet50_fpn, 3, 91", "v2, fasterrcnn_resnet50_fpn_v2, 4, 21"})
    void everyStageMatchesTorchvision(String variant, String arch, int seed, int numClasses) throws Exception {
        Oracle.run(Oracle.resource("/oracle/fasterrcnn_forward.py"), variant, dir.toString(), "" + seed, "" + numClasses);
        check(dir, arch, numClasses);
    }

    /** Compares resdet with the oracle's outputs in {@code dir}. */
    static void check(Path dir, String arch, int numClasses) throws Exception {
        check(dir, FasterRCNNs.builder().setArch(arch).optNumClasses(numClasses), RoIHeads.HeadsConfig.defaults().withScoreThresh(0f));
    }

    static void check(Path dir, FasterRCNNs.Builder builder, RoIHeads.HeadsConfig heads) throws Exception {
        String arch = builder.arch();
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN model = builder.optHeadsConfig(heads).build(m);
            Weights.load(model, dir.resolve("weights.pth"), true);
            model.eval();
            model.requiresGrad(false);
            Map<String, NDArray> want = Arrays2.readNpz(m, dir.resolve("expected.npz"));
            List<NDArray> images = List.of(
                    GeneralizedRCNNTransform.toTensor(m, Images.read(dir.resolve("img0.png"))),
                    GeneralizedRCNNTransform.toTensor(m, Images.read(dir.resolve("img1.png"))));
            List<long[]> sizes = new ArrayList<>();
            for (NDArray im : images) sizes.add(model.transform().resizedSize(im.getShape().get(1), im.getShape().get(2)));

            // Stage by stage on torchvision's transformed batch.
            ImageList il = new ImageList(want.get("batch"), sizes);
            Map<String, NDArray> feats = model.backbone().features(il.tensors());
            assertEquals(List.of("0", "1", "2", "3", "pool"), List.copyOf(feats.keySet()));
            for (var e : feats.entrySet()) {
                double rel = Arrays2.relMaxAbs(e.getValue(), want.get("feat_" + e.getKey()));
                assertTrue(rel < 1e-4, "FPN level " + e.getKey() + " relative error " + rel);
            }
            // The RPN keeps no scores, so proposals are matched by position only; NMS on 1000s of boxes may
            // flip a decision whose IoU sits within rounding of 0.7, hence the 0.5% allowance.
            List<NDArray> proposals = model.rpn().forward(il, feats);
            for (int i = 0; i < 2; i++) {
                NDArray w = want.get("proposals_" + i), g = proposals.get(i);
                BoxSetMatch r = BoxSetMatch.of(w, g.getManager().zeros(new ai.djl.ndarray.types.Shape(w.getShape().get(0))), null,
                        g, g.getManager().zeros(new ai.djl.ndarray.types.Shape(g.getShape().get(0))), null, 0.01f, 1f);
                assertTrue(Math.abs(w.getShape().get(0) - g.getShape().get(0)) <= w.getShape().get(0) / 200, "proposal count, image " + i + ": " + g.getShape() + " vs " + w.getShape());
                System.out.println(arch + " proposals, image " + i + ": " + r);
                assertTrue(r.matched >= r.expected - r.expected / 200, "proposals, image " + i + ": " + r);
            }
            List<RoIHeads.Result> dets = model.roiHeads().forward(feats, proposals, sizes);
            for (int i = 0; i < 2; i++) {
                long[] orig = {images.get(i).getShape().get(1), images.get(i).getShape().get(2)};
                RoIHeads.Result r = dets.get(i);
                assertDetections(want, i, GeneralizedRCNNTransform.postprocessBoxes(r.boxes(), sizes.get(i), orig), r, 0.01f);
            }

            // End to end, resdet's transform included.
            ImageList ours = model.transform().apply(images);
            double batchErr = Arrays2.relMaxAbs(ours.tensors(), want.get("batch"));
            assertTrue(batchErr < 1e-4, "transformed batch relative error " + batchErr);
            List<RoIHeads.Result> e2e = model.detect(images);
            for (int i = 0; i < 2; i++) assertDetections(want, i, e2e.get(i).boxes(), e2e.get(i), 0.01f);

            // As the detector runs it: batch norm folded into the convolutions, channels-last on the CPU; same tolerances.
            model.optimizeForInference();
            Map<String, NDArray> fast = model.backbone().features(il.tensors());
            for (var e : fast.entrySet()) {
                double rel = Arrays2.relMaxAbs(e.getValue(), want.get("feat_" + e.getKey()));
                assertTrue(rel < 1e-4, "optimized: FPN level " + e.getKey() + " relative error " + rel);
            }
            List<RoIHeads.Result> optimized = model.detect(images);
            for (int i = 0; i < 2; i++) assertDetections(want, i, optimized.get(i).boxes(), optimized.get(i), 0.01f);
        }
    }

    /** Same detections (label, box within {@code boxTol}, score within 1e-4), in the same score order. */
    private static void assertDetections(Map<String, NDArray> want, int i, NDArray boxes, RoIHeads.Result r, float boxTol) {
        NDArray wb = want.get("boxes_" + i), ws = want.get("scores_" + i), wl = want.get("labels_" + i);
        assertTrue(wb.getShape().get(0) > 10, "the oracle should produce detections");
        assertEquals(wb.getShape(), boxes.getShape(), "detection count, image " + i);
        BoxSetMatch m = BoxSetMatch.of(wb, ws, wl.toLongArray(), boxes, r.scores(), r.labels().toLongArray(), boxTol, 1e-4f);
        System.out.println("detections, image " + i + ": " + m);
        assertEquals(m.expected, m.matched, "detections, image " + i + ": " + m);
        assertTrue(m.maxScoreSeqErr < 1e-4f, "score order, image " + i + ": " + m);
    }
}
