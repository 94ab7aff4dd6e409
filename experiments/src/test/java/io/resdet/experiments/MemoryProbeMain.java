package io.resdet.experiments;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.resdet.backbone.ResNets;
import io.resdet.nn.Losses;
import io.resdet.nn.Module;
import io.resdet.train.Schedules;
import io.resdet.train.Sgd;
import io.resdet.train.Trainer;

import java.util.Locale;

/**
 * Not a test: measures the peak resident memory of one SGD step of {@code args[0]} (e.g. resnet1202) at each
 * batch size in {@code args[1..]} on 32×32 inputs, so the per-image slope projects to batch 128 without
 * running it. Run: {@code java -cp <test classpath> io.resdet.experiments.MemoryProbeMain resnet1202 2 6}.
 */
public final class MemoryProbeMain {
    public static void main(String[] args) {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = ResNets.builder().setArch(args[0]).optNumClasses(10).build(m);
            Trainer t = new Trainer(net, new Sgd(net.namedParameters(), 0.9, 1e-4), Schedules.constant(0.1), 1);
            for (int i = 1; i < args.length; i++) {
                int b = Integer.parseInt(args[i]);
                PeakMemory.reset();
                long t0 = System.nanoTime();
                t.step(() -> Losses.crossEntropy(net.forward(m.randomNormal(new Shape(b, 3, 32, 32))),
                        m.randomInteger(0, 10, new Shape(b), ai.djl.ndarray.types.DataType.INT64)));
                System.out.printf(Locale.ROOT, "%s batch %d: peak RSS %.3f GiB, step %.1f s%n", args[0], b,
                        PeakMemory.peakBytes() / (double) (1L << 30), (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
