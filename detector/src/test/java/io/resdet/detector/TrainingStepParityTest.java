package io.resdet.detector;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.detector.ops.BalancedPositiveNegativeSampler.PermutationSource;
import io.resdet.image.Images;
import io.resdet.nn.NormLayer;
import io.resdet.nn.Param;
import io.resdet.nn.Weights;
import io.resdet.testing.Arrays2;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One training step against torchvision: the same weights, images and targets, the samplers replaying
 * torchvision's recorded {@code randperm} draws. Stage by stage on torchvision's transformed batch (RPN
 * losses on resdet's own proposals, RoI-head losses on torchvision's proposals) the four losses agree
 * within 1e-4 and the gradients of parameters from the stem to the predictor within 1e-3 relative. End to
 * end through resdet's own transform and proposals, the RPN losses agree within 1e-4 and the RoI losses within
 * 1e-3 relative (measured: 3e-4 for ResNet-50 with 2000 proposals, 1e-6 for the small model).
 */
class TrainingStepParityTest {
    @TempDir Path dir;

    static FasterRCNNs.Builder builder(String variant) {
        if (variant.equals("small")) {
            return FasterRCNNs.builder().setArch("fasterrcnn_resnet18_fpn").optNumClasses(4).optNorm(NormLayer.BATCH_NORM)
                    .optTrainableLayers(5).optReturnedLayers(List.of(1, 2, 3)).optFpnChannels(128)
                    .optAnchorSizes(List.of(16, 32, 64, 128)).optRepresentationSize(256).optMinSize(160).optMaxSize(266)
                    .optRpnConfig(RegionProposalNetwork.RpnConfig.builder().optPreNmsTopN(600, 1000).optPostNmsTopN(300, 1000).build())
                    .optHeadsConfig(RoIHeads.HeadsConfig.defaults().withSampling(64, 0.25));
        }
        return FasterRCNNs.builder().setArch("fasterrcnn_resnet50_fpn").optNumClasses(4).optMinSize(320).optMaxSize(512);
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "v1"})
    void lossesAndGradientsMatchTorchvision(String variant) throws Exception {
        Oracle.run(Oracle.resource("/oracle/fasterrcnn_train_step.py"), variant, dir.toString(), "7");
        JsonNode meta = new ObjectMapper().readTree(dir.resolve("perms.json").toFile());
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN model = builder(variant).build(m);
            Weights.load(model, dir.resolve("weights.pth"), true);
            Map<String, NDArray> want = Arrays2.readNpz(m, dir.resolve("expected.npz"));
            List<long[]> sizes = new ArrayList<>();
            for (JsonNode s : meta.get("image_sizes")) sizes.add(new long[] {s.get(0).asLong(), s.get(1).asLong()});
            List<DetectionTarget> resized = new ArrayList<>();
            List<NDArray> torchProposals = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                resized.add(new DetectionTarget(want.get("target_boxes_" + i), want.get("target_labels_" + i)));
                torchProposals.add(want.get("proposals_" + i));
            }

            // Stage by stage on torchvision's batch.
            replay(model, meta);
            model.train(true);
            Map<String, Float> got = new java.util.LinkedHashMap<>();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ImageList il = new ImageList(want.get("batch"), sizes);
                Map<String, NDArray> feats = model.backbone().features(il.tensors());
                RegionProposalNetwork.Output rpn = model.rpn().forward(il, feats, resized);
                RoIHeads.TrainResult heads = model.roiHeads().forwardTrain(feats, torchProposals, sizes, resized);
                FasterRCNN.TrainLosses l = new FasterRCNN.TrainLosses(rpn.objectnessLoss(), rpn.boxLoss(), heads.classifier(), heads.boxReg());
                got.putAll(toFloats(l.values()));
                // Tensors over Java buffers that autograd saved would be freed here and poison the gradients.
                System.gc();
                Thread.sleep(100);
                gc.backward(l.total());
            }
            assertLosses(want, got, "stage-wise");
            Map<String, Param> named = model.namedParameters();
            int compared = 0, expected = 0;
            for (String k : want.keySet()) {
                if (!k.startsWith("grad/")) continue;
                expected++;
                NDArray g = named.get(k.substring(5)).get().getGradient();
                double rel = Arrays2.relMaxAbs(g, want.get(k));
                System.out.printf("%s grad %s: rel %.2e%n", variant, k.substring(5), rel);
                assertTrue(rel < 1e-3, "gradient of " + k.substring(5) + ": relative error " + rel);
                compared++;
            }
            // v1 freezes conv1 and layer1 (trainable layers 3): torchvision gives them no gradient.
            assertEquals(variant.equals("small") ? 9 : 7, expected);
            assertEquals(expected, compared);

            // End to end from the PNGs: resdet's transform, proposals and sampling.
            Weights.load(model, dir.resolve("weights.pth"), true); // BN running stats moved in the first pass
            replay(model, meta);
            List<NDArray> images = List.of(GeneralizedRCNNTransform.toTensor(m, Images.read(dir.resolve("img0.png"))),
                    GeneralizedRCNNTransform.toTensor(m, Images.read(dir.resolve("img1.png"))));
            List<DetectionTarget> targets = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                targets.add(new DetectionTarget(originalBoxes(m, dir, i), want.get("target_labels_" + i)));
            }
            // The RPN losses agree as stage by stage. The RoI losses see resdet's own proposals: out of 2000 after
            // NMS, a box whose IoU sits within rounding of 0.7 may go the other way and change a sampled negative,
            // so they get 1e-3 relative.
            FasterRCNN.TrainLosses e2e = model.forwardTrain(images, targets, null);
            Map<String, Float> endToEnd = toFloats(e2e.values());
            assertLosses(want, Map.of("loss_objectness", endToEnd.get("loss_objectness"),
                    "loss_rpn_box_reg", endToEnd.get("loss_rpn_box_reg")), "end-to-end");
            for (String k : List.of("loss_classifier", "loss_box_reg")) {
                float w = want.get(k).getFloat(), g = endToEnd.get(k);
                System.out.printf("end-to-end %s: resdet %.7f torchvision %.7f%n", k, g, w);
                assertEquals(w, g, 1e-3 * Math.abs(w) + 1e-5, "end-to-end " + k);
            }
        }
    }

    /** The oracle's targets in original pixels (the npz holds them resized): read back from the scale. */
    private static NDArray originalBoxes(NDManager m, Path dir, int i) throws Exception {
        JsonNode t = new ObjectMapper().readTree(dir.resolve("targets.json").toFile()).get(i);
        float[] b = new float[t.size() * 4];
        for (int k = 0; k < t.size(); k++) for (int j = 0; j < 4; j++) b[4 * k + j] = (float) t.get(k).get(j).asDouble();
        return m.create(b, new ai.djl.ndarray.types.Shape(t.size(), 4));
    }

    private static Map<String, Float> toFloats(Map<String, Double> v) {
        Map<String, Float> out = new java.util.LinkedHashMap<>();
        v.forEach((k, x) -> out.put(k, x.floatValue()));
        return out;
    }

    private static void assertLosses(Map<String, NDArray> want, Map<String, Float> got, String how) {
        for (var e : got.entrySet()) {
            float w = want.get(e.getKey()).getFloat();
            System.out.printf("%s %s: resdet %.7f torchvision %.7f%n", how, e.getKey(), e.getValue(), w);
            assertEquals(w, e.getValue(), 1e-4, how + " " + e.getKey());
        }
    }

    /** RPN draws first (positives, negatives per image), then the RoI heads, as torchvision calls them. */
    private static void replay(FasterRCNN model, JsonNode meta) {
        Deque<int[]> all = new ArrayDeque<>();
        for (JsonNode p : meta.get("perms")) {
            int[] a = new int[p.size()];
            for (int i = 0; i < a.length; i++) a[i] = p.get(i).asInt();
            all.add(a);
        }
        assertEquals(8, all.size(), "randperm calls");
        Deque<int[]> rpn = new ArrayDeque<>(), roi = new ArrayDeque<>();
        for (int i = 0; i < 4; i++) rpn.add(all.poll());
        roi.addAll(all);
        model.rpn().setSampler(replaying(rpn));
        model.roiHeads().setSampler(replaying(roi));
    }

    private static PermutationSource replaying(Deque<int[]> queue) {
        Deque<int[]> q = new ArrayDeque<>(queue);
        return n -> {
            int[] p = q.poll();
            if (p == null || p.length != n) throw new AssertionError("torchvision drew randperm(" + (p == null ? "none" : p.length) + "), resdet asks for " + n);
            return p;
        };
    }
}
