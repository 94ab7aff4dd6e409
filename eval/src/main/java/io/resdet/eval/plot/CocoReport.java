package io.resdet.eval.plot;

import io.resdet.eval.ProgressListener;
import io.resdet.eval.coco.CocoEvalResult;
import io.resdet.eval.coco.Params;
import io.resdet.eval.util.PyFormat;
import java.nio.file.Path;

/**
 * Writes COCO PR curves (overall and per category, at IoU .50, .75 and averaged over .50:.95,
 * area all, largest maxDets) as PNGs, and a {@code report.md} with the summary that embeds them.
 */
public final class CocoReport {
    private CocoReport() {
    }

    /** Writes into {@code dir}; returns the path of {@code report.md}. */
    public static Path write(CocoEvalResult r, Path dir, ProgressListener progress) {
        ReportFiles.dir(dir);
        Params p = r.params();
        double[] recall = p.recallThresholds();
        long[] ids = r.categoryIds();
        String[] names = r.categoryNames();
        int t50 = r.indexOfThr(0.5), t75 = r.indexOfThr(0.75);

        StringBuilder md = new StringBuilder("# COCO bbox evaluation\n\n```\n");
        for (String line : r.summaryLines()) md.append(line).append('\n');
        md.append("```\n\n![precision-recall, all categories](pr_overall.png)\n\n");
        curves(r, -1, recall, t50, t75, "All categories: precision–recall (area all)").write(dir.resolve("pr_overall.png"));

        double[] ap = r.perCategoryAp(), ap50 = r.perCategoryAp50(), ap75 = r.perCategoryAp75(), ar = r.perCategoryAr();
        md.append("| id | category | AP | AP50 | AP75 | AR100 |\n|---:|---|---:|---:|---:|---:|\n");
        for (int k = 0; k < ids.length; k++) {
            md.append("| ").append(ids[k]).append(" | ").append(names[k]).append(" | ").append(PyFormat.fixed(ap[k], 3))
                    .append(" | ").append(PyFormat.fixed(ap50[k], 3)).append(" | ").append(PyFormat.fixed(ap75[k], 3))
                    .append(" | ").append(PyFormat.fixed(ar[k], 3)).append(" |\n");
        }
        md.append("\n## Per category\n\n");
        for (int k = 0; k < ids.length; k++) {
            String file = "pr_" + ids[k] + "_" + ReportFiles.safe(names[k]) + ".png";
            curves(r, k, recall, t50, t75, names[k] + " (id " + ids[k] + "): AP " + PyFormat.fixed(ap[k], 3)).write(dir.resolve(file));
            md.append("![").append(names[k]).append("](").append(file).append(")\n");
            progress.update("plots", k + 1, ids.length);
        }
        Path report = dir.resolve("report.md");
        ReportFiles.write(report, md.toString());
        return report;
    }

    private static PrChart curves(CocoEvalResult r, int k, double[] recall, int t50, int t75, String title) {
        PrChart c = new PrChart(title);
        c.add("IoU .50:.95 (mean)", recall, r.meanPrecisionCurve(-1, k));
        if (t50 >= 0) c.add("IoU .50", recall, r.meanPrecisionCurve(t50, k));
        if (t75 >= 0) c.add("IoU .75", recall, r.meanPrecisionCurve(t75, k));
        return c;
    }
}
