package io.resdet.cli;

import ai.djl.ndarray.NDManager;
import io.resdet.cli.bench.PythonPeer;
import io.resdet.detector.DetectorSpec;
import io.resdet.detector.FasterRCNN;
import io.resdet.detector.FasterRCNNs;
import io.resdet.detector.data.DetectionDataset;
import io.resdet.detector.data.DetectionDatasets;
import io.resdet.detector.data.ShapesDatasetWriter;
import io.resdet.detector.train.DetectorTrainer;
import io.resdet.detector.train.TrainConfig;
import io.resdet.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code resdet bench train}: training images/s against torchvision on the same configuration and data. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Faster R-CNN training speed against torchvision on the same configuration and data.",
                "The same network configuration (--preset shapes), data, batch and threads; SGD steps timed after --warm",
                "untimed ones, image decoding excluded on both sides.",
                "--threads defaults to 2 here, on both sides."},
        footer = {"", "Example:", "  resdet bench train --iterations 20 --threads 4"})
final class BenchTrainCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "A `data synth` dataset (default: 64 generated 160 px images, 3 classes).")
    Path data;

    @Option(names = "--iterations", defaultValue = "30", description = "Steps per side (default: ${DEFAULT-VALUE}).") int iterations;
    @Option(names = "--warm", defaultValue = "5", description = "Untimed first steps (default: ${DEFAULT-VALUE}).") int warm;
    @Option(names = "--batch", defaultValue = "4", description = "Images per step (default: ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--lr", defaultValue = "0.02", description = "Learning rate (default: ${DEFAULT-VALUE}).") double lr;

    @Mixin
    BenchCommand.ReferenceSide reference;

    @Override
    public Integer call() throws Exception {
        return reference.compute.onDevice(this::measure);
    }

    private Integer measure() throws Exception {
        if (warm < 0 || iterations <= warm) throw new UserError("--iterations must exceed --warm");
        reference.applyThreads();
        Path tmp = Files.createTempDirectory("resdet-bench-train-");
        try {
            Path dir = data;
            if (dir == null) {
                dir = tmp.resolve("shapes");
                ShapesDatasetWriter.builder().setImages(64, 8).optClasses(3).optSeed(1).build()
                        .write(dir, new Progress("synth", 72, "img"));
            }
            DetectionDataset train;
            try {
                train = DetectionDatasets.open(dir.toString(), true);
            } catch (IOException e) {
                throw new UserError("--data: " + e.getMessage());
            }
            DetectorSpec spec;
            double ours;
            try (NDManager m = NDManager.newBaseManager(io.resdet.nn.Devices.auto())) {
                FasterRCNN model = FasterRCNNs.builder().fromSpec(TrainCommand.shapesPreset())
                        .optNumClasses(train.classNames().size()).build(m);
                spec = model.spec().withClassNames(train.classNames());
                TrainConfig cfg = TrainConfig.builder().setOut(tmp.resolve("run")).setIterations(iterations).optBatch(batch).optLr(lr)
                        .optSchedule("constant", List.of(), 0.1).optAspectRatioGroups(0).optCheckpointEvery(0).optSampleImages(0).build();
                new DetectorTrainer(model, train, null, null, cfg, new PrintStream(OutputStream.nullOutputStream())).run();
                ours = imagesPerSecond(tmp.resolve("run").resolve(DetectorTrainer.METRICS));
            }
            String ref = runReference(spec, dir);
            double theirs = Double.parseDouble(ref.replaceAll(".*\"images_per_s\": ([0-9.eE+-]+).*", "$1"));
            System.out.printf(Locale.ROOT, "Faster R-CNN training, %s (%s, FPN %d, box head %d, %d RoIs/image), %s, batch %d, %d threads, %d timed steps%n",
                    spec.arch(), "C" + (spec.returnedLayers().get(0) + 1) + "-C" + (spec.returnedLayers().get(spec.returnedLayers().size() - 1) + 1),
                    spec.fpnChannels(), spec.representationSize(), spec.heads().batchSizePerImage(), train.describe(), batch,
                    reference.threads, iterations - warm);
            System.out.println("| side | images/s | s/step |");
            System.out.println("|---|---:|---:|");
            System.out.printf(Locale.ROOT, "| resdet | %.2f | %.3f |%n", ours, batch / ours);
            System.out.printf(Locale.ROOT, "| torchvision 0.14 (torch 1.13) | %.2f | %.3f |%n", theirs, batch / theirs);
            System.out.printf(Locale.ROOT, "resdet / torchvision speed: %.2fx%n", ours / theirs);
            return 0;
        } finally {
            DemoCommand.deleteTree(tmp);
        }
    }

    /** Images per second over the steps after the warm ones, from the run's per-step seconds. */
    private double imagesPerSecond(Path metrics) throws IOException {
        List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
        List<String> cols = List.of(lines.get(0).split(","));
        int sec = cols.indexOf("seconds");
        double total = 0;
        int steps = 0;
        for (String l : lines.subList(1 + warm, lines.size())) {
            total += Double.parseDouble(l.split(",", -1)[sec]);
            steps++;
        }
        return steps * batch / total;
    }

    private String runReference(DetectorSpec spec, Path dir) throws IOException, InterruptedException {
        Path script = Files.createTempFile("resdet-train-ref", ".py");
        try (InputStream s = PythonPeer.class.getResourceAsStream("/io/resdet/cli/bench/train_reference.py")) {
            Files.write(script, s.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of(reference.python, script.toString(), spec.toJson(),
                dir.resolve("annotations/instances_train.json").toString(), dir.resolve("train").toString(),
                Integer.toString(iterations), Integer.toString(batch), Double.toString(lr), Integer.toString(reference.threads), "0",
                Integer.toString(warm)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(reference.threads));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UserError("cannot start the torchvision reference '" + reference.python + "': " + e.getMessage());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (p.waitFor() != 0) throw new UserError("the torchvision reference failed (see its error above)");
        Files.deleteIfExists(script);
        String s = out.toString(StandardCharsets.UTF_8).strip();
        return s.substring(s.lastIndexOf('\n') + 1);
    }
}
