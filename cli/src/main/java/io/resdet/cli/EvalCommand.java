package io.resdet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code resdet eval}: detection metrics, and detection runs over a dataset that end in them. */
@Command(name = "eval",
        footer = {"", "Example:", "  resdet eval coco --gt instances_val2017.json --dt results.json"},
        mixinStandardHelpOptions = true,
        description = "Evaluate detections: COCO bbox metrics (identical to pycocotools), PASCAL VOC AP "
                + "(identical to the devkit's voc_eval), detection runs over a COCO dataset, a synthetic benchmark case, and tracking (MOTA, IDF1, HOTA).",
        subcommands = {EvalCocoCommand.class, EvalVocCommand.class, EvalRunCommand.class, EvalSynthCommand.class, EvalMotCommand.class})
public final class EvalCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
