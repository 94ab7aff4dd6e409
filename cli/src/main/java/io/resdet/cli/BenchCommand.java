package io.resdet.cli;

import io.resdet.cli.bench.DetectorBench;
import io.resdet.cli.bench.ResNetBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code resdet bench}: performance against the reference implementations, as tables. */
@Command(name = "bench",
        footer = {"", "Example:", "  resdet bench resnet --arch resnet18 --threads 4"}, mixinStandardHelpOptions = true,
        description = "Benchmarks against the reference implementations on this machine (tables on stdout).",
        subcommands = {BenchCommand.Resnet.class, BenchCommand.Detector.class, BenchCommand.Stream.class, BenchTrainCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "resnet",
            footer = {"", "Example:", "  resdet bench resnet --arch resnet50 --sizes 1x224x224 --threads 4"}, mixinStandardHelpOptions = true, sortOptions = false,
            description = "ResNet forward latency vs torchvision (same threads, alternating runs, medians).")
    static final class Resnet implements Callable<Integer> {
        @Option(names = "--arch", defaultValue = "resnet50", description = "Architecture (default: ${DEFAULT-VALUE}).")
        String arch;

        @picocli.CommandLine.Mixin
        ReferenceSide reference;

        @Option(names = "--repeats", defaultValue = "7", description = "Timed runs per side and size (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--sizes", defaultValue = "1x224x224,1x800x1216", split = ",",
                description = "Inputs as NxHxW (default: ${DEFAULT-VALUE}).")
        List<String> sizes;


        @Override
        public Integer call() throws Exception {
            reference.applyThreads();
            if (reference.python.equals("none")) throw new UserError("--python none: bench resnet always compares with torchvision; give its Python");
            var rows = reference.compute.onDevice(() -> ResNetBench.run(arch, reference.threads, repeats, parseSizes(sizes), reference.python));
            System.out.print(ResNetBench.table(arch, reference.threads, repeats, rows));
            return 0;
        }
    }

    /** {@code --device} resolved, its one-line refusal (no usable GPU) turned into a user error. */
    static ai.djl.Device deviceFor(String device) {
        try {
            return io.resdet.nn.Devices.resolve(device);
        } catch (IllegalArgumentException e) {
            throw new UserError("--device: " + e.getMessage(), 1);
        }
    }

    static List<int[]> parseSizes(List<String> sizes) {
        List<int[]> parsed = new ArrayList<>();
        for (String s : sizes) {
            String[] p = s.toLowerCase().split("x");
            if (p.length != 3) throw new UserError("--sizes: '" + s + "' is not NxHxW");
            try {
                parsed.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])});
            } catch (NumberFormatException e) {
                throw new UserError("--sizes: '" + s + "' is not NxHxW");
            }
        }
        return parsed;
    }

    @Command(name = "stream",
            footer = {"", "Example:", "  resdet bench stream --frames 120 --batch 4", "  RESDET_JAVA_OPTS=\"-Xms1g -Xmx1g\" resdet bench stream --soak-minutes 30"}, mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Frames/s through Kafka (embedded broker + service) vs the same detector called in-process, with latency.",
                    "--soak-minutes M instead runs the pipeline for M minutes (closed loop, three synthetic cameras) and samples",
                    "resident memory (RSS) and throughput every --sample-seconds: a table on stdout, OUT/soak.png and OUT/soak.md.",
                    "Give the JVM a fixed heap for it (RESDET_JAVA_OPTS=\"-Xms1g -Xmx1g\"): a growing heap grows RSS without a leak.",
                    "Default model: the small untrained one (throughput does not depend on what it learned)."})
    static final class Stream implements Callable<Integer> {
        @Option(names = "--frames", defaultValue = "60", description = "Frames (default: ${DEFAULT-VALUE}).") int frames;
        @Option(names = "--size", defaultValue = "160x120", description = "Frame size WxH (default: ${DEFAULT-VALUE}).") String size;
        @Option(names = "--batch", defaultValue = "4", description = "Micro-batch size on both sides (default: ${DEFAULT-VALUE}).") int batch;
        @Option(names = "--workers", defaultValue = "1", description = "Service detection threads (default: ${DEFAULT-VALUE}).") int workers;
        @Mixin ComputeOptions compute;
        @Option(names = "--weights", description = "Weights for --arch instead of the untrained model.") String weights;
        @Option(names = "--arch", defaultValue = "fasterrcnn_resnet50_fpn", description = "With --weights (default: ${DEFAULT-VALUE}).") String arch;
        @Option(names = "--soak-minutes", paramLabel = "M", description = "Soak: run for M minutes (fractions allowed) and sample memory and throughput.") Double soakMinutes;
        @Option(names = "--sample-seconds", paramLabel = "S", defaultValue = "10", description = "Soak sample interval (default: ${DEFAULT-VALUE}).") double sampleSeconds;
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "resdet-soak", description = "Soak: where soak.png and soak.md go (default: ${DEFAULT-VALUE}).") java.nio.file.Path out;

        @Override
        public Integer call() throws Exception {
            if (frames < 1 || batch < 1 || workers < 1) throw new UserError("--frames, --batch and --workers must be >= 1");
            if (soakMinutes != null && soakMinutes <= 0) throw new UserError("--soak-minutes: must be > 0, got " + soakMinutes);
            if (sampleSeconds <= 0) throw new UserError("--sample-seconds: must be > 0, got " + sampleSeconds);
            String[] wh = size.toLowerCase().split("x");
            int w, h;
            try {
                w = Integer.parseInt(wh[0]);
                h = Integer.parseInt(wh[1]);
            } catch (RuntimeException e) {
                throw new UserError("--size: expected WxH like 160x120, got '" + size + "'");
            }
            compute.apply(1);
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("resdet-bench-stream-");
            try {
                io.vertx.core.json.JsonObject model = weights != null
                        ? new io.vertx.core.json.JsonObject().put("arch", arch).put("weights", weights)
                        : io.resdet.streamservice.Models.TINY.copy().put("weights",
                                io.resdet.streamservice.Models.writeTinyWeights(dir.resolve("tiny.safetensors")).toString());
                if (compute.device != null) model.put("device", compute.device);
                if (soakMinutes != null) {
                    var soak = io.resdet.streamservice.StreamBench.soak(model, java.time.Duration.ofMillis((long) (soakMinutes * 60_000)),
                            java.time.Duration.ofMillis((long) (sampleSeconds * 1000)), w, h, batch, workers, dir,
                            x -> System.err.printf(java.util.Locale.ROOT, "resdet bench stream: %4.0f s  RSS %.0f MiB  heap %.0f/%.0f MiB  %.2f frames/s  %d results%n",
                                    x.seconds(), x.rssMiB(), x.heapMiB(), x.heapCommittedMiB(), x.fps(), x.results()));
                    java.nio.file.Files.createDirectories(out);
                    soak.writePlot(out.resolve("soak.png"));
                    java.nio.file.Files.writeString(out.resolve("soak.md"), soak.table() + "\n![soak](soak.png)\n");
                    System.out.print(soak.table());
                    System.err.println("resdet bench stream: plot " + out.resolve("soak.png") + ", table " + out.resolve("soak.md"));
                    return 0;
                }
                var r = io.resdet.streamservice.StreamBench.run(model, frames, w, h, batch, workers, dir);
                System.out.print(r.table());
            } finally {
                DemoCommand.deleteTree(dir);
            }
            return 0;
        }
    }

    /** The options every comparison against the torchvision reference shares; --threads (default 2) is used on both sides. */
    static final class ReferenceSide {
        @Mixin ComputeOptions compute;

        @Option(names = "--python", defaultValue = "/usr/bin/python3",
                description = "Python with torchvision; bench detector also takes none, for resdet alone (default: ${DEFAULT-VALUE}).")
        String python;

        int threads;

        void applyThreads() {
            threads = compute.apply(2);
        }
    }

    @Command(name = "detector",
            footer = {"", "Example:", "  resdet bench detector --peer onnxruntime --sizes 1x800x1216,4x800x1216",
                    "  resdet bench detector --sizes 1x800x1333 --threads 8",
                    "  resdet bench detector --device gpu --half --sizes 1x800x1333,8x800x1333"},
            mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Faster R-CNN latency against a peer: same seeded weights, images, device and threads, alternating runs.",
                    "Medians, with the arithmetic done (GFLOP/s, share of the CPU's peak), peak RSS and CPU time per side.",
                    "--peer torchvision: per stage; on a GPU both sides wait for each stage's kernels before reading the clock,",
                    "and --half runs resdet in float16 and torchvision under float16 autocast.",
                    "--peer onnxruntime: the same model exported by torchvision to ONNX (cached) and run by ONNX Runtime "
                            + io.resdet.cli.bench.OnnxRuntimePeer.VERSION + "'s Java API in its own JVM (CPU, float32); both sides' detections are compared.",
                    "--peer none (or --python none): resdet alone, on its own seeded weights."})
    static final class Detector implements Callable<Integer> {
        @Option(names = "--arch", defaultValue = "fasterrcnn_resnet50_fpn", description = "fasterrcnn_resnet50_fpn or _v2 (default: ${DEFAULT-VALUE}).")
        String arch;

        @picocli.CommandLine.Mixin
        ReferenceSide reference;

        @Option(names = "--peer", paramLabel = "torchvision|onnxruntime|none", defaultValue = "torchvision",
                description = "What resdet is compared with (default: ${DEFAULT-VALUE}).")
        String peer;

        @Option(names = "--repeats", defaultValue = "5", description = "Timed runs per side and size (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--sizes", defaultValue = "1x800x1333,4x800x1333", split = ",",
                description = "Batches as NxHxW (default: ${DEFAULT-VALUE}).")
        List<String> sizes;

        @Option(names = "--half", description = "Float16 on both sides (GPU only; refused on the CPU) (default: float32).")
        boolean half;

        @Option(names = "--unoptimized", description = "resdet without its inference optimizations (batch-norm folding, channels-last): the 'before' of a before/after.")
        boolean unoptimized;

        @Override
        public Integer call() throws Exception {
            reference.applyThreads();
            if (repeats < 1) throw new UserError("--repeats must be at least 1, got " + repeats);
            List<int[]> parsed = parseSizes(sizes);
            ai.djl.Device device = deviceFor(reference.compute.device);
            if (half && !device.isGpu()) {
                throw new UserError("--half needs a GPU: the bench runs on the CPU here (device "
                        + (reference.compute.device == null ? "auto" : reference.compute.device) + "), where float16 convolutions are slower than float32; drop --half");
            }
            DetectorBench.Peer p = switch (peer.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "torchvision" -> reference.python.equals("none") ? DetectorBench.Peer.NONE : DetectorBench.Peer.TORCHVISION;
                case "onnxruntime", "ort" -> DetectorBench.Peer.ONNXRUNTIME;
                case "none" -> DetectorBench.Peer.NONE;
                default -> throw new UserError("--peer: expected torchvision, onnxruntime or none, got '" + peer + "'");
            };
            if (p == DetectorBench.Peer.ONNXRUNTIME) {
                if (device.isGpu()) throw new UserError("--peer onnxruntime runs on the CPU: add --device cpu");
                if (reference.python.equals("none")) throw new UserError("--peer onnxruntime needs --python: torchvision builds the weights and exports them to ONNX");
            }
            var settings = new DetectorBench.Settings(arch, reference.threads, repeats, parsed, p, reference.python, device, half, unoptimized);
            var rows = DetectorBench.run(settings);
            System.out.print(io.resdet.cli.bench.DetectorBenchTable.render(settings, rows, io.resdet.cli.bench.MachinePeak.of(reference.threads)));
            return 0;
        }
    }
}
