package io.resdet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;


/** {@code resdet experiment}: the ResNet paper's CIFAR experiments. */
@Command(name = "experiment",
        mixinStandardHelpOptions = true,
        description = "The ResNet paper's experiments: plain vs residual nets by depth (Fig. 6), ultra-deep nets, and a training oracle against PyTorch.",
        footer = {"", "Example:", "  resdet experiment degradation --data cifar10:cifar-10-batches-bin --out runs/fig6"},
        subcommands = {ExperimentDegradationCommand.class, ExperimentDepthCommand.class, ExperimentOracleCommand.class})
public final class ExperimentCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
