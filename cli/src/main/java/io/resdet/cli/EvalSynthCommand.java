package io.resdet.cli;

import io.resdet.eval.coco.SyntheticCoco;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code resdet eval synth}: a seeded COCO-like case for benchmarking {@code eval coco}. */
@Command(name = "synth",
        footer = {"", "Example:", "  resdet eval synth --out synth-case && resdet eval coco --gt synth-case/gt.json --dt synth-case/dt.json"},
        mixinStandardHelpOptions = true,
        description = "Write a seeded synthetic COCO case (gt.json + dt.json): Zipf-like category frequencies, "
                + "log-uniform object sizes, ~1%% crowd, a noisy detector (jittered true positives, duplicates, "
                + "class confusion, low-scored false positives). Defaults are val2017-sized.")
public final class EvalSynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write gt.json and dt.json into.")
    Path out;

    @Option(names = "--images", defaultValue = "5000", paramLabel = "N", description = "Number of images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--categories", defaultValue = "80", paramLabel = "N", description = "Number of categories (default: ${DEFAULT-VALUE}).")
    int categories;

    @Option(names = "--dets-per-image", defaultValue = "100", paramLabel = "N", description = "Detections per image (default: ${DEFAULT-VALUE}).")
    int detsPerImage;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Random seed; the same seed gives the same files (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (images < 1 || categories < 1 || detsPerImage < 0) {
            throw new UserError("--images and --categories must be at least 1, --dets-per-image at least 0");
        }
        ConsoleProgress progress = new ConsoleProgress("resdet eval synth");
        long t0 = System.nanoTime();
        long gt = new SyntheticCoco(images, categories, detsPerImage, seed).write(out, progress);
        progress.say(String.format("wrote %s and %s: %d images, %d GT boxes, %d detections in %.1f s", out.resolve("gt.json"),
                out.resolve("dt.json"), images, gt, (long) images * detsPerImage, (System.nanoTime() - t0) / 1e9));
        return 0;
    }
}
