package io.resdet.cli.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@link DetectorBench}'s rows as Markdown tables: the totals side by side with their ratio, then resdet's stages. */
public final class DetectorBenchTable {
    private DetectorBenchTable() {}

    public static String render(DetectorBench.Settings s, List<DetectorBench.Row> rows, MachinePeak peak) {
        StringBuilder sb = new StringBuilder();
        String peer = switch (s.peer()) {
            case TORCHVISION -> "torchvision";
            case ONNXRUNTIME -> "ONNX Runtime " + OnnxRuntimePeer.VERSION;
            case NONE -> null;
        };
        sb.append(String.format(Locale.ROOT, "%s inference on %s, %s, %d threads, median of %d %sruns (ms)%n", s.arch(), s.device(),
                s.half() ? "float16" : "float32", s.threads(), s.repeats(), peer != null ? "alternating " : ""));
        if (peak != null && !s.device().isGpu()) sb.append("machine peak: ").append(peak.describe()).append('\n');
        for (DetectorBench.Row r : rows) {
            double gflop = 2.0 * r.multiplyAdds() / 1e9;
            sb.append(String.format(Locale.ROOT, "%n%s (images × H × W): %.1f GFLOP (convolutions and linear layers)%n", r.input(), gflop));
            Map<String, Double> ours = r.resdetMs(), theirs = r.peerMs();
            if (peer == null) {
                sb.append("| | resdet |\n|---|---:|\n");
                summary(sb, ours.get("total"), null, gflop, peak, r, s);
            } else {
                sb.append("| | resdet | ").append(peer).append(" | resdet / ").append(peer).append(" |\n|---|---:|---:|---:|\n");
                summary(sb, ours.get("total"), theirs.get("total"), gflop, peak, r, s);
            }
            if (r.agreement() != null) sb.append("outputs: ").append(r.agreement()).append('\n');
            boolean perStage = theirs != null && theirs.size() > 1;
            sb.append(perStage ? "\n| stage | resdet ms | torchvision ms | resdet / torchvision |\n|---|---:|---:|---:|\n" : "\n| stage | resdet ms |\n|---|---:|\n");
            for (String stage : DetectorBench.STAGES) {
                if (stage.equals("total") || !ours.containsKey(stage)) continue;
                double a = ours.get(stage);
                Double b = perStage ? theirs.get(stage) : null;
                if (perStage) {
                    sb.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s |%n", stage, a, b == null ? "(in backbone)" : String.format(Locale.ROOT, "%.1f", b),
                            b == null ? "" : String.format(Locale.ROOT, "%.2f×", a / b)));
                } else {
                    sb.append(String.format(Locale.ROOT, "| %s | %.1f |%n", stage, a));
                }
            }
        }
        return sb.toString();
    }

    private static void summary(StringBuilder sb, double ours, Double theirs, double gflop, MachinePeak peak, DetectorBench.Row r,
                                DetectorBench.Settings s) {
        sb.append(String.format(Locale.ROOT, "| total ms | %.1f |%s%n", ours,
                theirs == null ? "" : String.format(Locale.ROOT, " %.1f | **%.2f×** |", theirs, ours / theirs)));
        if (gflop > 0) {
            sb.append(String.format(Locale.ROOT, "| GFLOP/s | %s |%s%n", rate(gflop, ours, peak, s),
                    theirs == null ? "" : " " + rate(gflop, theirs, peak, s) + " | |"));
        }
        sb.append(String.format(Locale.ROOT, "| peak RSS MiB | %s |%s%n", mib(r.resdetPeakMiB()),
                theirs == null ? "" : " " + mib(r.peerPeakMiB()) + " | |"));
        sb.append(String.format(Locale.ROOT, "| CPU s per run: user + kernel | %s |%s%n", cpu(r.resdetCpu()),
                theirs == null ? "" : " " + cpu(r.peerCpu()) + " | |"));
    }

    private static String rate(double gflop, double ms, MachinePeak peak, DetectorBench.Settings s) {
        double g = gflop / (ms / 1e3);
        return peak == null || s.device().isGpu() ? String.format(Locale.ROOT, "%.1f", g)
                : String.format(Locale.ROOT, "%.1f (%.0f%% of peak)", g, 100 * g / peak.gflops());
    }

    private static String cpu(double[] c) {
        return c == null ? "–" : String.format(Locale.ROOT, "%.1f + %.1f", c[0], c[1]);
    }

    private static String mib(double v) {
        return v < 0 ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }
}
