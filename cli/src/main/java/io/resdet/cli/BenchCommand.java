package io.resdet.cli;

import io.resdet.cli.bench.ResNetBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code resdet bench}: performance against the reference implementations, as tables. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks against the reference implementations on this machine (tables on stdout).",
        subcommands = {BenchCommand.Resnet.class})
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
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            List<int[]> parsed = new ArrayList<>();
            for (String s : sizes) {
                String[] p = s.toLowerCase().split("x");
                if (p.length != 3) throw new UserError("--sizes: '" + s + "' is not NxHxW");
                parsed.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])});
            }
            var rows = ResNetBench.run(arch, threads, repeats, parsed, python);
            System.out.print(ResNetBench.table(arch, threads, repeats, rows));
            return 0;
        }
    }
}
