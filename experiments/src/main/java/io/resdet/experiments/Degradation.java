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
 * The paper's Fig. 6 experiment: plain-k and resnet-k for each depth, trained under identical settings and seeds
 * (same initial weights where names coincide, same batches, same augmentation draws). Writes {@code curves.csv},
 * {@code degradation.png} (plain left, residual right; training error dashed, test error solid, one colour per
 * depth) and {@code summary.md}.
 */
public final class Degradation {
    public static final String CSV = "curves.csv", PNG = "degradation.png", SUMMARY = "summary.md";

    private Degradation() {}

    public record Result(Map<String, List<ClassificationRun.Point>> curves, double seconds) {}

    public static Result run(List<Integer> depths, ImageSet train, ImageSet test, ClassificationRun.Config cfg,
                             Path out, String dataLabel, String command, Progress progress) throws IOException {
        Files.createDirectories(out);
        Map<String, List<ClassificationRun.Point>> curves = new LinkedHashMap<>();
        long[] base = {0};
        try (MetricsCsv csv = new MetricsCsv(out.resolve(CSV),
                List.of("arch", "kind", "depth", "iteration", "train_error", "test_error", "train_loss", "lr", "seconds"))) {
            for (int depth : depths) {
                for (String kind : List.of("plain", "resnet")) {
                    String arch = (kind.equals("plain") ? "plain_resnet" : "resnet") + depth;
                    if (progress != null) progress.note(kind + "-" + depth);
                    List<ClassificationRun.Point> pts = ClassificationRun.train(arch, train, test, cfg, out.resolve(ClassificationRun.STATE_FOLDER).resolve(arch),
                            it -> { if (progress != null) progress.update(base[0] + it); });
                    base[0] += cfg.iterations();
                    curves.put(arch, pts);
                    for (ClassificationRun.Point p : pts) {
                        csv.row(arch, kind, depth, p.iteration(), p.trainError(), p.testError(), p.trainLoss(), p.lr(), p.seconds());
                    }
                }
            }
        }
        // Each network's own wall time, resumed sessions included (a resumed run's process time would miss them).
        double secs = curves.values().stream().mapToDouble(pts -> pts.get(pts.size() - 1).seconds()).sum();
        plot(depths, curves, out.resolve(PNG));
        Files.writeString(out.resolve(SUMMARY), summary(depths, curves, cfg, train, test, dataLabel, command, secs));
        return new Result(curves, secs);
    }

    /** Networks are trained in the order given (a long run can take its extremes first) and shown shallowest first. */
    private static List<Integer> shown(List<Integer> depths) {
        return depths.stream().sorted().toList();
    }

    static void plot(List<Integer> trained, Map<String, List<ClassificationRun.Point>> curves, Path png) throws IOException {
        List<Integer> depths = shown(trained);
        List<LinePlot> panels = new ArrayList<>();
        for (String kind : List.of("plain", "resnet")) {
            LinePlot p = new LinePlot((kind.equals("plain") ? "plain" : "ResNet") + " (dashed: training, solid: test)",
                    "iteration", "error (%)");
            for (int i = 0; i < depths.size(); i++) {
                String arch = (kind.equals("plain") ? "plain_resnet" : "resnet") + depths.get(i);
                List<ClassificationRun.Point> pts = curves.get(arch);
                double[] x = new double[pts.size()], tr = new double[pts.size()], te = new double[pts.size()];
                for (int k = 0; k < pts.size(); k++) {
                    x[k] = pts.get(k).iteration();
                    tr[k] = 100 * pts.get(k).trainError();
                    te[k] = 100 * pts.get(k).testError();
                }
                Color c = LinePlot.PALETTE.get(i % LinePlot.PALETTE.size());
                String name = (kind.equals("plain") ? "plain-" : "ResNet-") + depths.get(i);
                p.add(new LinePlot.Series("", x, tr, c, true));
                p.add(new LinePlot.Series(name, x, te, c, false));
            }
            p.yRange(0, 100);
            panels.add(p);
        }
        LinePlot.writePng(png, panels, 520, 380);
    }

    static String summary(List<Integer> depths, Map<String, List<ClassificationRun.Point>> curves,
                          ClassificationRun.Config cfg, ImageSet train, ImageSet test, String dataLabel,
                          String command, double secs) {
        StringBuilder sb = new StringBuilder("# Degradation: plain vs residual networks\n\n");
        sb.append("Command: `").append(command).append("`\n\n");
        int evaluated = cfg.testLimit() > 0 ? Math.min(cfg.testLimit(), test.size()) : test.size();
        sb.append(String.format(Locale.ROOT, "Data: %s (%d training images, %d test images of which %d evaluated, %d classes). "
                        + "%d iterations of batch %d, SGD momentum 0.9, weight decay 1e-4, lr %.3g divided by 10 at %d and %d%s, seed %d. "
                        + "Wall time %.1f s (training and evaluation of all networks).%n%n", dataLabel, train.size(), test.size(), evaluated, train.classes().size(),
                cfg.iterations(), cfg.batch(), cfg.lr(), cfg.iterations() / 2, cfg.iterations() * 3 / 4,
                cfg.warmup() ? ", ResNet-110 warm-up" : "", cfg.seed(), secs));
        sb.append("Training error averages the minibatches of the last evaluation interval; test error is the final model's.\n\n");
        sb.append("| depth | plain train err | plain test err | ResNet train err | ResNet test err |\n");
        sb.append("|---:|---:|---:|---:|---:|\n");
        for (int d : shown(depths)) {
            ClassificationRun.Point p = last(curves.get("plain_resnet" + d)), r = last(curves.get("resnet" + d));
            sb.append(String.format(Locale.ROOT, "| %d | %.2f%% | %.2f%% | %.2f%% | %.2f%% |%n", d,
                    100 * p.trainError(), 100 * p.testError(), 100 * r.trainError(), 100 * r.testError()));
        }
        sb.append('\n').append(verdict(depths, curves, train.classes().size())).append('\n');
        return sb.toString();
    }

    /**
     * States plainly what the run shows: whether the deepest plain net ends with higher training error than the
     * shallowest (degradation), whether the residual nets avoided that (the paper's claim) or only rose by less than half as
     * much (most of it removed, which is said so and not called a cure), and which nets never left
     * chance level, since a net that has not started learning says nothing about its depth.
     */
    static String verdict(List<Integer> depths, Map<String, List<ClassificationRun.Point>> curves, int classes) {
        if (depths.size() < 2) return "One depth only: degradation cannot be judged.";
        int lo = depths.stream().min(Integer::compare).orElseThrow(), hi = depths.stream().max(Integer::compare).orElseThrow();
        double pLo = last(curves.get("plain_resnet" + lo)).trainError(), pHi = last(curves.get("plain_resnet" + hi)).trainError();
        double rLo = last(curves.get("resnet" + lo)).trainError(), rHi = last(curves.get("resnet" + hi)).trainError();
        StringBuilder sb = new StringBuilder();
        boolean plainWorse = pHi > pLo, residualWorse = rHi > rLo;
        sb.append(String.format(Locale.ROOT, "Plain nets: plain-%d ends with %s training error than plain-%d (%.2f%% vs %.2f%%). ",
                hi, plainWorse ? "higher" : "no higher", lo, 100 * pHi, 100 * pLo));
        sb.append(String.format(Locale.ROOT, "Residual nets: ResNet-%d %.2f%% vs ResNet-%d %.2f%%. ", hi, 100 * rHi, lo, 100 * rLo));
        if (plainWorse && !residualWorse) {
            sb.append("Degradation appeared and residual learning avoided it, as in the paper.");
        } else if (plainWorse && rHi < pHi && rHi - rLo < (pHi - pLo) / 2) {
            // Half the plain nets' rise: a clear reduction, but not the paper's claim, so it is not called a cure.
            sb.append(String.format(Locale.ROOT, "Both kinds got worse with depth, the plain nets by %.2f points and the residual nets by %.2f: "
                            + "residual learning removed most of the degradation in this run, not all of it "
                            + "(the paper has ResNet-%d at or below ResNet-%d).",
                    100 * (pHi - pLo), 100 * (rHi - rLo), hi, lo));
        } else if (plainWorse) {
            sb.append("Both kinds got worse with depth, so this run does not show residual learning curing degradation.");
        } else {
            sb.append("No degradation at this scale.");
        }
        double chance = 1 - 1.0 / classes;
        List<String> stuck = new ArrayList<>();
        for (int d : depths) {
            for (String arch : List.of("plain_resnet" + d, "resnet" + d)) {
                if (last(curves.get(arch)).trainError() > chance - 0.03) stuck.add(arch.startsWith("plain") ? "plain-" + d : "ResNet-" + d);
            }
        }
        if (!stuck.isEmpty()) {
            sb.append(String.format(Locale.ROOT, " Never left chance level (%.0f%% error): %s — too short a run to judge their depth.",
                    100 * chance, String.join(", ", stuck)));
        }
        return sb.toString();
    }

    static ClassificationRun.Point last(List<ClassificationRun.Point> pts) {
        return pts.get(pts.size() - 1);
    }
}
