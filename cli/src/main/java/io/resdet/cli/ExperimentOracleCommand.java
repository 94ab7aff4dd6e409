package io.resdet.cli;

import io.resdet.data.DataSpec;
import io.resdet.data.ImageSet;
import io.resdet.experiments.OracleComparison;
import io.resdet.experiments.TrainingOracle;
import io.resdet.train.MetricsCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code resdet experiment oracle}: resdet's training against PyTorch's on the same batches from the same weights. */
@Command(name = "oracle", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a paper's CIFAR network in resdet (the experiments' own loop) and, from the same initial weights on the"
                + " same augmented batches, in PyTorch (a network written from the paper, Debian's python3-torch); print whether"
                + " resdet's loss curve tracks PyTorch's.",
                "PyTorch also trains from the weights perturbed at float-rounding scale: how far float noise alone moves the curve sets"
                        + " the tolerance (each window of iterations within 3x the largest noise gap of it and its neighbours, at"
                        + " least 0.05 nats; the first iteration within 1e-4). The initial weights' spread is checked against the"
                        + " paper's initialisation, and the learning rate of every iteration against PyTorch's.",
                "Writes OUT/<data>/curves.csv (per-iteration losses, errors and rates of both sides) and OUT/summary.md; exits 1"
                        + " when a curve does not track."},
        footer = {"", "Example:", "  resdet experiment oracle --data synthetic,fashion-mnist --arch resnet56 --iterations 200 --batch 32"})
public final class ExperimentOracleCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "synthetic,fashion-mnist", split = ",", paramLabel = "SPEC,...",
            description = "Data sets, as for the other experiments (synthetic[:N], fashion-mnist[:DIR], cifar10:DIR, ...); "
                    + "training images only (default: ${DEFAULT-VALUE}).")
    List<String> data;

    @Option(names = "--arch", defaultValue = "resnet56", paramLabel = "NAME", description = "resnetN or plain_resnetN, N = 6n+2 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--iterations", defaultValue = "200", paramLabel = "N", description = "Iterations on each side (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.1", paramLabel = "LR", description = "Initial learning rate, divided by 10 at 50%% and 75%% of the run (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup", description = "The ResNet-110 warm-up on both sides: lr/10 until training error < 80%% or 400 iterations.")
    boolean warmup;

    @Option(names = "--noise-runs", defaultValue = "2", paramLabel = "K",
            description = "PyTorch runs from the weights perturbed at float-rounding scale (1e-6 relative), which measure the"
                    + " tolerance (default: ${DEFAULT-VALUE}).")
    int noiseRuns;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed for weights, data order, augmentation and generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "oracle-out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin BenchCommand.ReferenceSide reference;

    @Override
    public Integer call() throws Exception {
        if (noiseRuns < 1) throw new UserError("--noise-runs must be at least 1");
        reference.applyThreads();
        TrainingOracle.Settings settings;
        try {
            settings = new TrainingOracle.Settings(arch, iterations, batch, lr, warmup, seed, reference.python, reference.threads, 1e-6, noiseRuns);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        List<DataSpec> specs = new ArrayList<>();
        for (String d : data) {
            try {
                specs.add(DataSpec.parse(d));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        List<TrainingOracle.Result> results = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        for (int i = 0; i < specs.size(); i++) {
            ImageSet train;
            try {
                train = specs.get(i).load(seed).train();
            } catch (IOException | IllegalArgumentException e) {
                throw new UserError("--data " + data.get(i) + ": " + e.getMessage());
            }
            Path dir = out.resolve(data.get(i).replaceAll("[^A-Za-z0-9._-]+", "_"));
            System.err.printf(Locale.ROOT, "resdet experiment oracle: %s on %s, %d iterations of batch %d, resdet then PyTorch (%d times)%n",
                    arch, data.get(i), iterations, batch, 1 + noiseRuns);
            TrainingOracle.Result r;
            try {
                String label = data.get(i);
                r = reference.compute.onDevice(() -> TrainingOracle.run(settings, train, label, dir.resolve("exchange")));
            } catch (IOException e) {
                throw new UserError(e.getMessage());
            }
            results.add(r);
            writeCurves(r, dir.resolve("curves.csv"));
            deleteTree(dir.resolve("exchange"));
            details.append(detail(r));
            System.err.println("resdet experiment oracle: " + data.get(i) + ": " + r.comparison().verdict());
        }
        String table = TrainingOracle.table(results);
        System.out.print(table);
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.md"), "# Training oracle: resdet vs PyTorch\n\nCommand: `resdet "
                + commandLine() + "`\n\n" + table + "\n" + details);
        return results.stream().allMatch(TrainingOracle.Result::tracks) ? 0 : 1;
    }

    private String commandLine() {
        return String.join(" ", "experiment", "oracle", "--data", String.join(",", data), "--arch", arch, "--iterations",
                Integer.toString(iterations), "--batch", Integer.toString(batch), "--lr", Double.toString(lr),
                "--noise-runs", Integer.toString(noiseRuns), "--seed", Long.toString(seed), "--threads",
                Integer.toString(reference.threads)) + (warmup ? " --warmup" : "");
    }

    private static String detail(TrainingOracle.Result r) {
        StringBuilder sb = new StringBuilder("## " + r.data() + "\n\n");
        sb.append(r.comparison().verdict()).append("\n\n");
        sb.append("Learning rate: ").append(r.lrMismatches() == 0 ? "identical at every iteration" : r.lrMismatches() + " iterations differ").append(". ");
        sb.append("Initialisation against the paper's (PyTorch ").append(r.torchVersion()).append("): ")
                .append(r.init().isEmpty() ? "every tensor's spread matches" : String.join("; ", r.init())).append(".\n\n");
        sb.append(String.format(Locale.ROOT, "Window means (%d iterations each), cross-entropy:%n%n", r.comparison().window()));
        for (String l : TrainingOracle.windowLines(r)) sb.append("- ").append(l).append('\n');
        sb.append(String.format(Locale.ROOT, "%nTolerance rule: every window within max(%.2f, %.0f × the largest float-noise gap of"
                + " it and its neighbours) nats; the first iteration within %.0g relative.%n%n", OracleComparison.FLOOR,
                OracleComparison.NOISE_FACTOR, OracleComparison.FIRST_STEP));
        return sb.toString();
    }

    private static void writeCurves(TrainingOracle.Result r, Path file) throws IOException {
        List<String> cols = new ArrayList<>(List.of("iteration", "resdet_loss", "torch_loss"));
        for (int k = 0; k < r.perturbedLoss().length; k++) cols.add("torch_perturbed" + (k + 1) + "_loss");
        cols.addAll(List.of("resdet_error", "torch_error", "resdet_lr", "torch_lr"));
        try (MetricsCsv csv = new MetricsCsv(file, cols)) {
            for (int i = 0; i < r.resdetLoss().length; i++) {
                List<Object> row = new ArrayList<>(List.of(i, r.resdetLoss()[i], r.torchLoss()[i]));
                for (double[] p : r.perturbedLoss()) row.add(p[i]);
                row.addAll(List.of(r.resdetError()[i], r.torchError()[i], r.resdetLr()[i], r.torchLr()[i]));
                csv.row(row.toArray());
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
