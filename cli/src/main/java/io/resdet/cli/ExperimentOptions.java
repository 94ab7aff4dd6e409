package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.data.DataSpec;
import io.resdet.experiments.ClassificationRun;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The options both experiments ({@code experiment degradation}, {@code experiment depth}) share. */
final class ExperimentOptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin ComputeOptions compute;

    @Option(names = "--data", required = true, paramLabel = "SPEC",
            description = "cifar10:DIR, cifar100:DIR (binary version), fashion-mnist[:DIR] (gzipped IDX files; default "
                    + "/usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist), imagefolder:DIR (train/ and test/ or val/), "
                    + "or synthetic[:N] (generated shapes × stripes, N training images; default 10000).")
    String data;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "B", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.1", paramLabel = "LR", description = "Initial learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup", description = "The ResNet-110 warm-up: lr/10 until training error < 80%% or 400 iterations.")
    boolean warmup;

    @Option(names = "--eval-every", paramLabel = "N", description = "Evaluate every N iterations (default: iterations/20).")
    Integer evalEvery;

    @Option(names = "--test-images", defaultValue = "0", paramLabel = "N", description = "Evaluate on the first N test images (0: all).")
    int testImages;

    @Option(names = "--out", defaultValue = "experiment-out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out (finished networks are kept, an interrupted one "
            + "goes on from its last evaluation point); the other options must be the run's original ones.")
    boolean resume;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed for weights, data order, augmentation and generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    ClassificationRun.Config config(int iterations) {
        if (testImages < 0) throw new UserError("--test-images must be 0 or more");
        try {
            return new ClassificationRun.Config(iterations, batch, lr, warmup,
                    evalEvery != null ? evalEvery : Math.max(1, iterations / 20), testImages, seed);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * Records this run's settings in {@code out/run.json}, or checks a resumed run repeats them. {@code networks}
     * names what is trained (depths or models).
     */
    void guard(String experiment, List<?> networks, ClassificationRun.Config cfg) {
        ObjectNode now = JSON.createObjectNode();
        now.put("experiment", experiment);
        ObjectNode run = now.putObject("run");
        run.put("data", data);
        run.set("networks", JSON.valueToTree(networks));
        run.put("iterations", cfg.iterations());
        run.put("batch", cfg.batch());
        run.put("lr", cfg.lr());
        run.put("warmup", cfg.warmup());
        run.put("eval_every", cfg.evalEvery());
        run.put("test_images", cfg.testLimit());
        run.put("seed", cfg.seed());
        try {
            RunFile.check(out, resume, now);
        } catch (IOException e) {
            throw new UserError(out.resolve("run.json") + ": " + e.getMessage());
        }
    }

    DataSpec.Split load() {
        try {
            return DataSpec.parse(data).load(seed);
        } catch (IllegalArgumentException | IOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
