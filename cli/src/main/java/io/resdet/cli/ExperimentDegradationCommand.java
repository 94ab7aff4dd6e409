package io.resdet.cli;

import io.resdet.data.DataSpec;
import io.resdet.experiments.Degradation;
import io.resdet.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code resdet experiment degradation}: Fig. 6 of the paper on the given data. */
@Command(name = "degradation",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  resdet experiment degradation --data synthetic:5000 --depths 20,32 --iterations 2000 --out runs/degradation"},
        description = "Train plain-k and ResNet-k for each depth under identical settings and seeds; write curves.csv, "
                + "degradation.png (plain left, residual right; training dashed, test solid) and summary.md.")
public final class ExperimentDegradationCommand implements Callable<Integer> {
    @CommandLine.Mixin ExperimentOptions common;

    @Option(names = "--depths", defaultValue = "20,32,44,56", split = ",", paramLabel = "D,D,...",
            description = "Depths 6n+2, trained in this order, shown shallowest first (default: ${DEFAULT-VALUE}).")
    List<Integer> depths;

    @Option(names = "--iterations", defaultValue = "64000", paramLabel = "N", description = "Iterations per network (default: ${DEFAULT-VALUE}, the paper's).")
    int iterations;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (int d : depths) {
            if (d < 8 || (d - 2) % 6 != 0) throw new UserError("--depths: " + d + " is not 6n+2 (20, 32, 44, 56, 110, ...)");
        }
        common.compute.apply();
        var cfg = common.config(iterations);
        DataSpec.Split data = common.load(); // first: input that fails must not leave a run.json behind
        common.guard("degradation", depths, cfg);
        String command = "resdet " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        try (Progress p = new Progress("degradation", (long) depths.size() * 2 * iterations, "it")) {
            common.compute.onDevice(() -> {
                Degradation.run(depths, data.train(), data.test(), cfg, common.out, common.data, command, p);
                return null;
            });
        }
        System.out.println("wrote " + common.out.resolve(Degradation.CSV) + ", " + common.out.resolve(Degradation.PNG)
                + ", " + common.out.resolve(Degradation.SUMMARY));
        return 0;
    }
}
