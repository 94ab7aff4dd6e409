package io.resdet.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.resdet.backbone.Backbone;
import io.resdet.backbone.BatchNormFolding;
import io.resdet.backbone.ResNets;
import io.resdet.nn.Engines;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * ResNet forward latency, resdet against torchvision on this machine: same architecture, input size and
 * thread count, runs alternating one to one, medians compared.
 */
public final class ResNetBench {
    public record Row(String input, double resdetMs, double foldedMs, double torchMs) {}

    public static List<Row> run(String arch, int threads, int repeats, List<int[]> sizes, String python) throws IOException {
        Engines.pytorch();
        List<Row> rows = new ArrayList<>();
        try (PythonPeer peer = new PythonPeer(python, "/io/resdet/cli/bench/torchvision_worker.py", threads);
             NDManager m = NDManager.newBaseManager(io.resdet.nn.Devices.auto())) {
            peer.ask("load " + arch + " " + threads);
            Backbone plain = ResNets.builder().setArch(arch).build(m);
            plain.eval();
            plain.requiresGrad(false);
            Backbone folded = ResNets.builder().setArch(arch).build(m);
            folded.eval();
            folded.requiresGrad(false);
            BatchNormFolding.fold(folded);
            for (int[] s : sizes) {
                Shape shape = new Shape(s[0], 3, s[1], s[2]);
                double[] a = new double[repeats], b = new double[repeats], t = new double[repeats];
                for (int i = -1; i < repeats; i++) { // i = -1 warms both sides up
                    double ta = time(plain, m, shape);
                    double tb = time(folded, m, shape);
                    double tt = Double.parseDouble(peer.ask("run " + s[0] + " 3 " + s[1] + " " + s[2]));
                    if (i >= 0) {
                        a[i] = ta;
                        b[i] = tb;
                        t[i] = tt;
                    }
                }
                rows.add(new Row(s[0] + "×3×" + s[1] + "×" + s[2], median(a) * 1e3, median(b) * 1e3, median(t) * 1e3));
            }
        }
        return rows;
    }

    private static double time(Backbone net, NDManager m, Shape shape) {
        try (NDManager sub = m.newSubManager()) {
            NDArray x = sub.randomNormal(shape);
            long t0 = System.nanoTime();
            NDArray y = net.forward(x);
            y.toFloatArray(); // forces completion on asynchronous devices
            double dt = (System.nanoTime() - t0) / 1e9;
            y.close();
            return dt;
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static String table(String arch, int threads, int repeats, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s forward, %d threads, median of %d alternating runs%n", arch, threads, repeats));
        sb.append("| input | resdet (BN) ms | resdet (BN folded) ms | torchvision ms | folded / torchvision |\n");
        sb.append("|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2f× |%n",
                    r.input(), r.resdetMs(), r.foldedMs(), r.torchMs(), r.foldedMs() / r.torchMs()));
        }
        return sb.toString();
    }
}
