package io.resdet.eval.plot;

import io.resdet.eval.ProgressListener;
import io.resdet.eval.voc.VocClassResult;
import io.resdet.eval.voc.VocEval;
import io.resdet.eval.util.PyFormat;
import java.nio.file.Path;
import java.util.List;

/** Writes VOC PR curves (all classes in one chart, and one per class) and a {@code report.md}. */
public final class VocReport {
    private VocReport() {
    }

    public static Path write(List<VocClassResult> results, VocEval.Metric metric, Path dir, ProgressListener progress) {
        ReportFiles.dir(dir);
        double map = results.stream().mapToDouble(r -> r.ap(metric)).average().orElse(0);
        String m = metric == VocEval.Metric.ELEVEN_POINT ? "11-point" : "area";
        StringBuilder md = new StringBuilder("# PASCAL VOC evaluation (" + m + " AP, IoU > 0.5)\n\n")
                .append("mAP = ").append(PyFormat.fixed(map, 4)).append("\n\n![all classes](pr_all.png)\n\n")
                .append("| class | AP | GT (non-difficult) | difficult | detections |\n|---|---:|---:|---:|---:|\n");
        PrChart all = new PrChart("Precision–recall per class, mAP " + PyFormat.fixed(map, 4));
        for (VocClassResult r : results) {
            all.add(r.cls() + " " + PyFormat.fixed(r.ap(metric), 3), r.rec(), envelope(r.prec()));
            md.append("| ").append(r.cls()).append(" | ").append(PyFormat.fixed(r.ap(metric), 4)).append(" | ").append(r.npos())
                    .append(" | ").append(r.numDifficult()).append(" | ").append(r.numDetections()).append(" |\n");
        }
        all.size(1000, 700).write(dir.resolve("pr_all.png"));
        md.append("\n## Per class\n\n");
        for (int i = 0; i < results.size(); i++) {
            VocClassResult r = results.get(i);
            String file = "pr_" + ReportFiles.safe(r.cls()) + ".png";
            new PrChart(r.cls() + ": AP " + PyFormat.fixed(r.ap(metric), 4) + " (" + m + ")").add("interpolated (max to the right)", r.rec(), envelope(r.prec()))
                    .add("raw precision", r.rec(), r.prec())
                    .write(dir.resolve(file));
            md.append("![").append(r.cls()).append("](").append(file).append(")\n");
            progress.update("plots", i + 1, results.size());
        }
        Path report = dir.resolve("report.md");
        ReportFiles.write(report, md.toString());
        return report;
    }

    /** Precision made non-increasing from the right, as the AP computation sees it; raw curves zig-zag unreadably. */
    static double[] envelope(double[] prec) {
        double[] e = prec.clone();
        for (int i = e.length - 1; i > 0; i--) e[i - 1] = Math.max(e[i - 1], e[i]);
        return e;
    }
}
