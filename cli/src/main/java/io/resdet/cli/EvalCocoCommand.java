package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.eval.EvalInputException;
import io.resdet.eval.coco.CocoDetections;
import io.resdet.eval.coco.CocoEval;
import io.resdet.eval.coco.CocoEvalResult;
import io.resdet.eval.coco.CocoFiles;
import io.resdet.eval.coco.CocoGroundTruth;
import io.resdet.eval.coco.Params;
import io.resdet.eval.plot.CocoReport;
import io.resdet.eval.util.PyFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code resdet eval coco}: pycocotools' bbox COCOeval on a GT and a results file. */
@Command(name = "coco",
        footer = {"", "Example:", "  resdet eval coco --gt annotations/instances_val2017.json --dt results.json --per-class"},
        mixinStandardHelpOptions = true,
        description = {
            "COCO bbox evaluation, numerically identical to pycocotools' COCOeval (iouType=bbox).",
            "Prints the 12-line summary in pycocotools' format. Deliberate differences: an empty results "
                    + "list gives zeros (pycocotools crashes); results with a category id that is not in the GT "
                    + "are an error (pycocotools silently drops them); negative or NaN scores and box sizes are errors."})
public final class EvalCocoCommand implements Callable<Integer> {
    @Option(names = "--gt", required = true, paramLabel = "GT.json",
            description = "COCO instances file (images, annotations with bbox/area/iscrowd, categories).")
    Path gt;

    @Option(names = "--dt", required = true, paramLabel = "RESULTS.json",
            description = "COCO results file: a list of {image_id, category_id, bbox:[x,y,w,h], score}.")
    Path dt;

    @Option(names = "--json", description = "Print {\"stats\":[12 numbers], \"per_category_ap\":{\"<catId>\":AP}} "
            + "instead of the text summary (with --per-class also per_category_ap50/ap75/ar100).")
    boolean json;

    @Option(names = "--per-class", description = "Also print a per-category table: id, name, AP, AP50, AP75, AR100 "
            + "(area all, largest maxDets; -1 for a category without GT).")
    boolean perClass;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Write precision-recall PNGs (overall and per category) and report.md into DIR.")
    Path plots;

    @Option(names = "--iou-thrs", split = ",", paramLabel = "T",
            description = "IoU thresholds, comma separated and ascending (default: 0.50,0.55,...,0.95 as numpy.linspace). "
                    + "The AP50/AP75 summary lines need 0.5/0.75 in the list; otherwise they read -1.")
    double[] iouThrs;

    @Option(names = "--max-dets", split = ",", paramLabel = "N",
            description = "Three ascending detection limits per image and category (default: 1,10,100). "
                    + "The first summary line always uses 100, as pycocotools' does.")
    int[] maxDets;

    /** Set by 'eval run': evaluate only these images (pycocotools' params.imgIds); null for all. */
    long[] imageIds;

    @Override
    public Integer call() {
        ConsoleProgress progress = new ConsoleProgress("resdet eval coco");
        Params params;
        try {
            Params.Builder b = Params.builder();
            if (iouThrs != null) b.iouThresholds(iouThrs);
            if (maxDets != null) b.maxDets(maxDets);
            if (imageIds != null) b.imageIds(imageIds);
            params = b.build();
        } catch (IllegalArgumentException e) {
            throw new UserError("--iou-thrs/--max-dets: " + e.getMessage());
        }
        CocoEvalResult r;
        CocoGroundTruth g;
        try {
            long t0 = System.nanoTime();
            progress.say("reading " + gt + " and " + dt);
            CocoFiles files = CocoFiles.read(gt, dt);
            g = files.gt();
            CocoDetections d = files.dt();
            progress.say(String.format("%d images, %d categories, %d GT boxes, %d detections (read in %.1f s)",
                    g.numImages(), g.numCategories(), g.numAnnotations(), d.size(), (System.nanoTime() - t0) / 1e9));
            long t1 = System.nanoTime();
            r = CocoEval.evaluate(g, d, params, progress);
            progress.say(String.format("evaluated in %.1f s", (System.nanoTime() - t1) / 1e9));
        } catch (EvalInputException e) {
            throw new UserError(e.getMessage());
        }
        PrintStream out = System.out;
        if (json) {
            out.println(toJson(r));
        } else {
            r.summaryLines().forEach(out::println);
            if (perClass) printTable(out, r);
        }
        if (plots != null) {
            Path report = CocoReport.write(r, plots, progress);
            progress.say("wrote " + report);
        }
        out.flush();
        return 0;
    }

    private String toJson(CocoEvalResult r) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        var stats = root.putArray("stats");
        for (double s : r.stats()) stats.add(s);
        long[] ids = r.categoryIds();
        put(root.putObject("per_category_ap"), ids, r.perCategoryAp());
        if (perClass) {
            put(root.putObject("per_category_ap50"), ids, r.perCategoryAp50());
            put(root.putObject("per_category_ap75"), ids, r.perCategoryAp75());
            put(root.putObject("per_category_ar100"), ids, r.perCategoryAr());
        }
        return root.toString();
    }

    private static void put(ObjectNode o, long[] ids, double[] v) {
        for (int k = 0; k < ids.length; k++) o.put(Long.toString(ids[k]), v[k]);
    }

    private static void printTable(PrintStream out, CocoEvalResult r) {
        long[] ids = r.categoryIds();
        String[] names = r.categoryNames();
        double[] ap = r.perCategoryAp(), ap50 = r.perCategoryAp50(), ap75 = r.perCategoryAp75(), ar = r.perCategoryAr();
        int w = "category".length();
        for (String n : names) w = Math.max(w, n.length());
        out.println();
        out.println(String.format("%8s  %-" + w + "s  %6s  %6s  %6s  %6s", "id", "category", "AP", "AP50", "AP75", "AR100"));
        for (int k = 0; k < ids.length; k++) {
            out.println(String.format("%8d  %-" + w + "s  %6s  %6s  %6s  %6s", ids[k], names[k], PyFormat.fixed(ap[k], 3),
                    PyFormat.fixed(ap50[k], 3), PyFormat.fixed(ap75[k], 3), PyFormat.fixed(ar[k], 3)));
        }
    }
}
