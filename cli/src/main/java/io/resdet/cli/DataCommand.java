package io.resdet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code resdet data}: training data for the detector. */
@Command(name = "data",
        footer = {"", "Example:", "  resdet data synth --out shapes"},
        mixinStandardHelpOptions = true,
        description = "Training data for the detector: generate a synthetic shapes detection set, or a shapes video with tracking ground truth.",
        subcommands = {DataSynthCommand.class, DataSynthVideoCommand.class})
public final class DataCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
