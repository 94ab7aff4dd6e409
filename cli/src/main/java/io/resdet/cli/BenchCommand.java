package io.resdet.cli;

import io.resdet.cli.bench.DetectorBench;
import io.resdet.cli.bench.ResNetBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code resdet bench}: performance against the reference implementations, as tables. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks against the reference implementations on this machine (tables on stdout).",
        subcommands = {BenchCommand.Resnet.class, BenchCommand.Detector.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "resnet", mixinStandardHelpOptions = true, sortOptions = false,
            description = "ResNet forward latency vs torchvision (same threads, alternating runs, medians).")
    static final class Resnet implements Callable<Integer> {
        @Option(names = "--arch", defaultValue = "resnet50", description = "Architecture (default: ${DEFAULT-VALUE}).")
        String arch;

        @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads on both sides (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--repeats", defaultValue = "7", description = "Timed runs per side and size (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--sizes", defaultValue = "1x224x224,1x800x1216", split = ",",
                description = "Inputs as NxHxW (default: ${DEFAULT-VALUE}).")
        List<String> sizes;

        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torchvision (default: ${DEFAULT-VALUE}).")
        String python;

        @Override
        public Integer call() throws Exception {
            setThreads(threads);
            var rows = ResNetBench.run(arch, threads, repeats, parseSizes(sizes), python);
            System.out.print(ResNetBench.table(arch, threads, repeats, rows));
            return 0;
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

    static void setThreads(int threads) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    @Command(name = "detector", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Faster R-CNN latency vs torchvision, per stage (same weights and threads, alternating runs, medians).")
    static final class Detector implements Callable<Integer> {
        @Option(names = "--arch", defaultValue = "fasterrcnn_resnet50_fpn", description = "fasterrcnn_resnet50_fpn or _v2 (default: ${DEFAULT-VALUE}).")
        String arch;

        @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads on both sides (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--repeats", defaultValue = "5", description = "Timed runs per side and size (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--sizes", defaultValue = "1x800x1333,4x800x1333", split = ",",
                description = "Batches as NxHxW (default: ${DEFAULT-VALUE}).")
        List<String> sizes;

        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torchvision (default: ${DEFAULT-VALUE}).")
        String python;

        @Override
        public Integer call() throws Exception {
            setThreads(threads);
            var rows = DetectorBench.run(arch, threads, repeats, parseSizes(sizes), python);
            System.out.print(DetectorBench.table(arch, threads, repeats, rows));
            return 0;
        }
    }
}
