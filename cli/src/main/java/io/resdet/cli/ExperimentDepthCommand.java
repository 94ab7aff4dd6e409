package io.resdet.cli;

import io.resdet.backbone.ResNets;
import io.resdet.data.DataSpec;
import io.resdet.experiments.UltraDeep;
import io.resdet.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code resdet experiment depth}: ultra-deep residual nets against plain nets of the same depth. */
@Command(name = "depth",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  resdet experiment depth --data synthetic --models resnet110 --iterations 50 --out runs/depth"},
        description = "Train ultra-deep nets and their plain twins for a bounded number of iterations; record loss, "
                + "first-layer gradient norm, per-stage activation spread and peak memory; write curves.csv, depth.png, summary.md.")
public final class ExperimentDepthCommand implements Callable<Integer> {
    @CommandLine.Mixin ExperimentOptions common;

    @Option(names = "--models", defaultValue = "resnet110,resnet1202,preact1001", split = ",", paramLabel = "M,M,...",
            description = "CIFAR residual nets (default: ${DEFAULT-VALUE}); each is paired with plain_<model>.")
    List<String> models;

    @Option(names = "--iterations", defaultValue = "200", paramLabel = "N", description = "Iterations per network (default: ${DEFAULT-VALUE}).")
    int iterations;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (String m : models) {
            if (m.startsWith("plain_") || ResNets.isImageNet(m) || !m.matches("(resnet|preact)\\d+")) {
                throw new UserError("--models: '" + m + "' is not a CIFAR residual net (resnetN or preactN; plain twins are added)");
            }
        }
        common.compute.apply();
        var cfg = common.config(iterations);
        DataSpec.Split data = common.load(); // first: input that fails must not leave a run.json behind
        common.guard("depth", models, cfg);
        String command = "resdet " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        try (Progress p = new Progress("depth", (long) models.size() * 2 * iterations, "it")) {
            common.compute.onDevice(() -> {
                UltraDeep.run(models, data.train(), data.test(), cfg, common.out, common.data, command, p);
                return null;
            });
        } catch (IllegalArgumentException e) {
            // A depth the architecture does not allow (resnet 6n+2, preact 9n+2) surfaces when the net is built.
            throw new UserError("--models: " + e.getMessage());
        }
        System.out.println("wrote " + common.out.resolve(UltraDeep.CSV) + ", " + common.out.resolve(UltraDeep.PNG)
                + ", " + common.out.resolve(UltraDeep.SUMMARY));
        return 0;
    }
}
