package io.resdet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code resdet eval}: detection metrics. Running a detector over a dataset ({@code eval run}) is
 * not here yet: the detector will write a results file with {@code CocoResultsWriter}, which
 * {@code eval coco} then scores.
 */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = "Evaluate detections: COCO bbox metrics (identical to pycocotools), PASCAL VOC AP "
                + "(identical to the devkit's voc_eval), and a synthetic benchmark case.",
        subcommands = {EvalCocoCommand.class, EvalVocCommand.class, EvalSynthCommand.class})
public final class EvalCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
