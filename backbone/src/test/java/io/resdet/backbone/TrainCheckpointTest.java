package io.resdet.backbone;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.resdet.nn.Losses;
import io.resdet.nn.Module;
import io.resdet.train.LrSchedule;
import io.resdet.train.Optimizer;
import io.resdet.train.Schedules;
import io.resdet.train.Sgd;
import io.resdet.train.TrainCheckpoint;
import io.resdet.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Exact resume and CPU determinism: a small CIFAR ResNet (batch-norm buffers, momentum state, warm-up schedule
 * state, inputs drawn from the trainer's RNG) trained N steps equals N/2 steps, a checkpoint, a fresh process
 * state, a restore and N/2 more — loss for loss, bit for bit.
 */
class TrainCheckpointTest {
    private static final int N = 6;

    private static Trainer trainer(NDManager m, long initSeed) {
        Engine.getInstance().setRandomSeed((int) initSeed);
        Module net = ResNets.builder().setArch("resnet8").optNumClasses(4).build(m);
        Optimizer opt = new Sgd(net.namedParameters(), 0.9, 1e-4);
        LrSchedule s = Schedules.errorGatedWarmup(0.01, 0.8, 2, Schedules.multiStep(0.1, new long[] {4}, 0.1));
        return new Trainer(net, opt, s, 7);
    }

    private static List<Float> run(Trainer t, int steps) {
        List<Float> losses = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            NDManager m = t.model().getManager();
            float[] x = new float[4 * 3 * 8 * 8];
            for (int k = 0; k < x.length; k++) x[k] = (float) t.rng().nextGaussian();
            long[] y = new long[4];
            for (int k = 0; k < 4; k++) y[k] = t.rng().nextInt(4);
            Trainer.Step s = t.step(() -> {
                NDArray logits = t.model().forward(m.create(x, new Shape(4, 3, 8, 8)));
                return Losses.crossEntropy(logits, m.create(y));
            });
            t.observeTrainError(s.iteration(), 0.9);
            losses.add((float) s.loss());
        }
        return losses;
    }

    @Test
    void twoRunsWithOneSeedGiveIdenticalLosses() {
        try (NDManager a = NDManager.newBaseManager(); NDManager b = NDManager.newBaseManager()) {
            List<Float> first = run(trainer(a, 1), N), second = run(trainer(b, 1), N);
            assertEquals(first, second);
            assertNotEquals(first.get(0), first.get(N - 1), "training changed nothing");
        }
    }

    @Test
    void resumeFromCheckpointContinuesExactly(@TempDir Path dir) throws Exception {
        List<Float> straight, resumed = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            straight = run(trainer(m, 1), N);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Trainer t = trainer(m, 1);
            resumed.addAll(run(t, N / 2));
            TrainCheckpoint.save(dir, t);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Trainer t = trainer(m, 99); // different initial weights: only the checkpoint can make it match
            TrainCheckpoint.load(dir, t);
            assertEquals(N / 2, t.iteration());
            resumed.addAll(run(t, N - N / 2));
        }
        assertEquals(straight, resumed);
    }
}
