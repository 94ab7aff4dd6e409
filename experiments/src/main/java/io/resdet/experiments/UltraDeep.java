package io.resdet.experiments;

import io.resdet.data.ImageSet;
import io.resdet.train.LinePlot;
import io.resdet.train.MetricsCsv;
import io.resdet.util.Progress;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ultra-deep networks (ResNet-110/1202, pre-activation 1001) for a bounded number of iterations, each next to
 * the plain network of the same depth: training loss, the first convolution's gradient norm and each stage's
 * activation spread, plus each model's peak resident memory. Writes {@code curves.csv}, {@code depth.png} and
 * {@code summary.md}.
 */
public final class UltraDeep {
    public static final String CSV = "curves.csv", PNG = "depth.png", SUMMARY = "summary.md";

    private UltraDeep() {}

    public record Result(Map<String, List<ClassificationRun.Point>> curves, Map<String, Long> peakRss) {}

    public static Result run(List<String> models, ImageSet train, ImageSet test, ClassificationRun.Config cfg,
                             Path out, String dataLabel, String command, Progress progress) throws IOException {
        Files.createDirectories(out);
        List<String> archs = new ArrayList<>();
        for (String m : models) {
            archs.add(m);
            archs.add("plain_" + m);
        }
        Map<String, List<ClassificationRun.Point>> curves = new LinkedHashMap<>();
        Map<String, Long> peak = new LinkedHashMap<>();
        long[] base = {0};
        List<String> cols = new ArrayList<>(List.of("arch", "iteration", "train_loss", "train_error", "test_error",
                "first_layer_grad_norm", "lr", "seconds"));
        for (String s : List.of("stem", "layer1", "layer2", "layer3")) cols.add("std_" + s);
        try (MetricsCsv csv = new MetricsCsv(out.resolve(CSV), cols)) {
            for (String arch : archs) {
                if (progress != null) progress.note(arch);
                Path state = out.resolve(ClassificationRun.STATE_FOLDER).resolve(arch), peakFile = state.resolve("peak_rss_bytes");
                boolean finishedBefore = Files.exists(state.resolve(RunState.POINTS_FILE));
                long peakBefore = Files.exists(peakFile) ? Long.parseLong(Files.readString(peakFile).strip()) : -1;
                boolean fresh = PeakMemory.reset();
                List<ClassificationRun.Point> pts = ClassificationRun.train(arch, train, test, cfg, state,
                        it -> { if (progress != null) progress.update(base[0] + it); });
                // A network finished in an earlier session keeps that session's peak; a resumed one the larger of both.
                long measured = fresh && !finishedBefore ? PeakMemory.peakBytes() : -1;
                long peakBytes = Math.max(measured, peakBefore);
                Files.writeString(peakFile, Long.toString(peakBytes));
                peak.put(arch, peakBytes);
                base[0] += cfg.iterations();
                curves.put(arch, pts);
                for (ClassificationRun.Point p : pts) {
                    double[] sd = p.stageStd();
                    csv.row(arch, p.iteration(), p.trainLoss(), p.trainError(), p.testError(), p.firstLayerGradNorm(),
                            p.lr(), p.seconds(), sd[0], sd[1], sd[2], sd[3]);
                }
            }
        }
        // Each network's own wall time, resumed sessions included (a resumed run's process time would miss them).
        double secs = curves.values().stream().mapToDouble(pts -> pts.get(pts.size() - 1).seconds()).sum();
        plot(archs, curves, out.resolve(PNG));
        Files.writeString(out.resolve(SUMMARY), summary(archs, curves, peak, cfg, dataLabel, command, secs));
        return new Result(curves, peak);
    }

    static void plot(List<String> archs, Map<String, List<ClassificationRun.Point>> curves, Path png) throws IOException {
        LinePlot loss = new LinePlot("training loss", "iteration", "cross-entropy");
        LinePlot grad = new LinePlot("first-layer gradient norm", "iteration", "‖∂L/∂conv1‖ (log)").logY();
        LinePlot act = new LinePlot("last-stage activation std (training mode)", "iteration", "std (log)").logY();
        for (int i = 0; i < archs.size(); i++) {
            String arch = archs.get(i);
            List<ClassificationRun.Point> pts = curves.get(arch);
            double[] x = new double[pts.size()], l = new double[pts.size()], g = new double[pts.size()], a = new double[pts.size()];
            for (int k = 0; k < pts.size(); k++) {
                ClassificationRun.Point p = pts.get(k);
                x[k] = p.iteration();
                l[k] = p.trainLoss();
                g[k] = p.firstLayerGradNorm();
                a[k] = p.stageStd()[p.stageStd().length - 1];
            }
            // A model and its plain twin share a colour; the plain one is dashed.
            Color c = LinePlot.PALETTE.get((i / 2) % LinePlot.PALETTE.size());
            boolean plain = arch.startsWith("plain_");
            loss.add(new LinePlot.Series(arch, x, l, c, plain));
            grad.add(new LinePlot.Series(arch, x, g, c, plain));
            act.add(new LinePlot.Series(arch, x, a, c, plain));
        }
        LinePlot.writePng(png, List.of(loss, grad, act), 440, 360);
    }

    static String summary(List<String> archs, Map<String, List<ClassificationRun.Point>> curves, Map<String, Long> peak,
                          ClassificationRun.Config cfg, String dataLabel, String command, double secs) {
        StringBuilder sb = new StringBuilder("# Ultra-deep networks vs plain networks of the same depth\n\n");
        sb.append("Command: `").append(command).append("`\n\n");
        sb.append(String.format(Locale.ROOT, "Data: %s. %d iterations of batch %d, lr %.3g%s, seed %d. Wall time %.1f s (training and evaluation of all networks).%n%n",
                dataLabel, cfg.iterations(), cfg.batch(), cfg.lr(), cfg.warmup() ? " with the ResNet-110 warm-up" : "",
                cfg.seed(), secs));
        sb.append("Activation spread: each stage's output standard deviation on 64 fixed test images in training mode (BatchNorm "
                + "with the batch's own statistics, as in every training step; the running statistics are left untouched).\n\n");
        sb.append("| model | first loss | final loss | final train err | test err | first-layer grad norm (first → last) | last-stage std | peak RSS | s/iteration |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String a : archs) {
            List<ClassificationRun.Point> pts = curves.get(a);
            ClassificationRun.Point f = pts.get(0), l = pts.get(pts.size() - 1);
            long rss = peak.getOrDefault(a, -1L);
            sb.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.2f%% | %.2f%% | %.3g → %.3g | %.3g | %s | %.2f |%n", a,
                    f.trainLoss(), l.trainLoss(), 100 * l.trainError(), 100 * l.testError(), f.firstLayerGradNorm(),
                    l.firstLayerGradNorm(), l.stageStd()[l.stageStd().length - 1],
                    rss < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f GiB", rss / (double) (1L << 30)), l.seconds() / l.iteration()));
        }
        return sb.toString();
    }
}
