package io.resdet.experiments;

import io.resdet.data.ImageSet;
import io.resdet.data.SyntheticShapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classification loop: epoch-wise sampling, evaluation points with values in range, reproducibility. */
class ClassificationRunTest {
    @Test
    void eachEpochVisitsEveryImageOnceAndOrderDependsOnlyOnSeedAndIteration() {
        Set<Integer> seen = new HashSet<>();
        for (int it = 0; it < 5; it++) for (int i : ClassificationRun.batchIndices(20, 4, it, 9)) seen.add(i);
        assertEquals(20, seen.size());
        assertArrayEquals(ClassificationRun.batchIndices(20, 4, 7, 9), ClassificationRun.batchIndices(20, 4, 7, 9));
        assertTrue(!java.util.Arrays.equals(ClassificationRun.batchIndices(20, 4, 0, 9), ClassificationRun.batchIndices(20, 4, 5, 9)),
                "the second epoch is shuffled differently");
        // A batch straddling an epoch boundary takes the tail of one permutation and the head of the next.
        assertEquals(6, ClassificationRun.batchIndices(20, 6, 3, 9).length);
    }

    @Test
    void shortRunGivesPointsInRangeAndRepeatsExactly() {
        ImageSet train = SyntheticShapes.generate(40, 1), test = SyntheticShapes.generate(20, 2);
        var cfg = new ClassificationRun.Config(4, 8, 0.1, false, 2, 0, 3);
        List<Long> steps = new ArrayList<>();
        List<ClassificationRun.Point> a = ClassificationRun.train("resnet8", train, test, cfg, steps::add);
        List<ClassificationRun.Point> b = ClassificationRun.train("resnet8", train, test, cfg, null);
        assertEquals(List.of(1L, 2L, 3L, 4L), steps);
        assertEquals(2, a.size());
        for (int k = 0; k < a.size(); k++) {
            ClassificationRun.Point p = a.get(k);
            assertEquals(2L * (k + 1), p.iteration());
            assertTrue(p.trainError() >= 0 && p.trainError() <= 1 && p.testError() >= 0 && p.testError() <= 1);
            assertTrue(p.trainLoss() > 0 && Double.isFinite(p.trainLoss()));
            assertTrue(p.firstLayerGradNorm() > 0);
            assertEquals(4, p.stageStd().length);
            // The paper's steps at 50% and 75% of the run: step 2 (index 1) at 0.1, step 4 (index 3) after both.
            assertEquals(k == 0 ? 0.1 : 0.001, p.lr(), 1e-12);
            assertEquals(p.trainLoss(), b.get(k).trainLoss(), 0.0, "same seed, same losses");
            assertEquals(p.testError(), b.get(k).testError(), 0.0);
        }
    }

    @Test
    void aRunKilledBetweenCheckpointsResumesToExactlyTheUninterruptedPoints(@TempDir Path dir) {
        ImageSet train = SyntheticShapes.generate(40, 1), test = SyntheticShapes.generate(20, 2);
        var cfg = new ClassificationRun.Config(6, 8, 0.1, true, 2, 0, 5);
        List<ClassificationRun.Point> whole = ClassificationRun.train("plain_resnet8", train, test, cfg, null);

        Path state = dir.resolve("plain_resnet8");
        RuntimeException killed = new RuntimeException("killed");
        // Killed after iteration 5: the checkpoint of iteration 4 is the one to go on from.
        assertThrows(RuntimeException.class, () -> ClassificationRun.train("plain_resnet8", train, test, cfg, state,
                it -> { if (it == 5) throw killed; }));
        assertTrue(Files.exists(state.resolve("checkpoint").resolve("points.json")));
        List<Long> heard = new ArrayList<>();
        List<ClassificationRun.Point> resumed = ClassificationRun.train("plain_resnet8", train, test, cfg, state, heard::add);
        assertEquals(List.of(4L, 5L, 6L), heard, "continues after the checkpoint of iteration 4");
        assertSamePoints(whole, resumed);
        assertTrue(Files.exists(state.resolve("points.json")) && !Files.exists(state.resolve("checkpoint")),
                "a finished network keeps its points, not its checkpoint");
        assertTrue(resumed.get(2).seconds() >= resumed.get(1).seconds() && resumed.get(1).seconds() > 0);

        // Finished: the points come back without training.
        heard.clear();
        assertSamePoints(whole, ClassificationRun.train("plain_resnet8", train, test, cfg, state, heard::add));
        assertEquals(List.of(6L), heard);
    }

    @Test
    void activationSpreadIsMeasuredWithBatchStatisticsAndLeavesTheRunningOnesAlone() {
        ImageSet test = SyntheticShapes.generate(64, 2);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(4);
            io.resdet.backbone.Backbone net = io.resdet.backbone.ResNets.builder().setArch("resnet20").build(m);
            // Running statistics far from the data's, as a few steps at a high rate leave them.
            for (var e : net.namedTensors().entrySet()) {
                if (e.getKey().endsWith("running_var")) e.getValue().get().muli(50);
            }
            java.util.Map<String, float[]> before = new java.util.LinkedHashMap<>();
            net.namedTensors().forEach((k, p) -> { if (p.isBuffer()) before.put(k, p.get().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()); });
            io.resdet.data.Batches b = new io.resdet.data.Batches(test, test.channelStats(), 0);
            double[] std = ClassificationRun.stageStd(net, b, test, m);
            // The stem is ReLU(BN(conv)) with BN's weight 1 and bias 0: each channel standardised by the batch, then
            // rectified, so its spread is that of ReLU(N(0, 1)): sqrt(1/2 - 1/(2 pi)) = 0.5838. Evaluation mode would
            // divide by the inflated running variance instead.
            assertEquals(Math.sqrt(0.5 - 1 / (2 * Math.PI)), std[0], 0.03);
            net.namedTensors().forEach((k, p) -> {
                if (p.isBuffer()) assertArrayEquals(before.get(k), p.get().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(), 0f, k);
            });
            assertTrue(net.isTraining(), "left in training mode");
        }
    }

    private static void assertSamePoints(List<ClassificationRun.Point> a, List<ClassificationRun.Point> b) {
        assertEquals(a.size(), b.size());
        for (int k = 0; k < a.size(); k++) {
            ClassificationRun.Point p = a.get(k), q = b.get(k);
            String at = "point " + k;
            assertEquals(p.iteration(), q.iteration(), at);
            assertEquals(p.trainError(), q.trainError(), 0.0, at);
            assertEquals(p.trainLoss(), q.trainLoss(), 0.0, at);
            assertEquals(p.testError(), q.testError(), 0.0, at);
            assertEquals(p.lr(), q.lr(), 0.0, at);
            assertEquals(p.firstLayerGradNorm(), q.firstLayerGradNorm(), 0.0, at);
            assertArrayEquals(p.stageStd(), q.stageStd(), 0.0, at);
        }
    }
}
