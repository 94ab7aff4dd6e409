package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.eval.EvalInputException;
import io.resdet.eval.plot.VocReport;
import io.resdet.eval.util.PyFormat;
import io.resdet.eval.voc.VocClassResult;
import io.resdet.eval.voc.VocDetectionFiles;
import io.resdet.eval.voc.VocDetections;
import io.resdet.eval.voc.VocDevkitReader;
import io.resdet.eval.voc.VocEval;
import io.resdet.eval.voc.VocGroundTruth;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code resdet eval voc}: the devkit's voc_eval over a VOCdevkit year folder and comp4 detection files. */
@Command(name = "voc",
        footer = {"", "Example:", "  resdet eval voc --root VOCdevkit/VOC2007 --set test --detections runs/voc07/detections"},
        mixinStandardHelpOptions = true,
        description = {
            "PASCAL VOC detection AP, numerically identical to the devkit's voc_eval (detectron2 / py-faster-rcnn): "
                    + "inclusive pixel boxes (+1), difficult objects ignored, a match needs overlap > 0.5.",
            "Prints AP per class and the mAP (plain mean over the classes). A class without a detection file counts as AP 0."})
public final class EvalVocCommand implements Callable<Integer> {
    enum MetricName {
        _11point(VocEval.Metric.ELEVEN_POINT), area(VocEval.Metric.AREA);
        final VocEval.Metric metric;

        MetricName(VocEval.Metric m) {
            metric = m;
        }
    }

    @Option(names = "--root", required = true, paramLabel = "DIR",
            description = "A devkit year folder, e.g. VOCdevkit/VOC2007, holding Annotations/*.xml and ImageSets/Main/<set>.txt.")
    Path root;

    @Option(names = "--set", defaultValue = "test", paramLabel = "NAME",
            description = "Image set: ImageSets/Main/<NAME>.txt (default: ${DEFAULT-VALUE}).")
    String set;

    @Option(names = "--detections", required = true, paramLabel = "DIR",
            description = "Folder of detection files, one per class, lines 'image_id score x1 y1 x2 y2'. "
                    + "comp4_det_<set>_<class>.txt is preferred; any name ending in <class>.txt is accepted.")
    Path detections;

    @Option(names = "--classes", split = ",", paramLabel = "C",
            description = "Classes to evaluate, comma separated (default: the 20 VOC classes).")
    List<String> classes;

    @Option(names = "--metric", defaultValue = "11point", paramLabel = "11point|area",
            converter = MetricConverter.class,
            description = "11point: VOC2007 11-point interpolated AP (use_07_metric=True); area: area under the "
                    + "interpolated PR curve (VOC2010+). Default: ${DEFAULT-VALUE}.")
    MetricName metric;

    @Option(names = "--json", description = "Print {\"map\":m, \"ap\":{\"<class>\":AP}} instead of the table (NaN is written as null).")
    boolean json;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Write precision-recall PNGs (all classes and one per class) and report.md into DIR.")
    Path plots;

    /** Set by 'eval run': evaluate only these images of the set (those it ran); null for all. */
    java.util.Set<String> imageIds;

    static final class MetricConverter implements picocli.CommandLine.ITypeConverter<MetricName> {
        @Override
        public MetricName convert(String value) {
            return switch (value) {
                case "11point" -> MetricName._11point;
                case "area" -> MetricName.area;
                default -> throw new picocli.CommandLine.TypeConversionException("expected 11point or area, got '" + value + "'");
            };
        }
    }

    @Override
    public Integer call() {
        ConsoleProgress progress = new ConsoleProgress("resdet eval voc");
        List<String> cls = classes == null ? VocGroundTruth.VOC_CLASSES : classes;
        List<VocClassResult> results = new ArrayList<>();
        try {
            progress.say("reading " + root.resolve("ImageSets").resolve("Main").resolve(set + ".txt") + " and its annotations");
            VocGroundTruth gt = VocDevkitReader.read(root, set, progress);
            if (imageIds != null) gt = gt.restrictedTo(imageIds);
            for (String c : cls) {
                Optional<Path> file = VocDetectionFiles.find(detections, set, c, cls);
                if (file.isEmpty()) progress.say("no detection file for class '" + c + "' in " + detections + ": counted as AP 0");
                VocDetections d = file.map(VocDetections::read).orElse(VocDetections.empty());
                results.add(VocEval.evaluate(gt, c, d, 0.5, file.map(Path::toString).orElse(c)));
                progress.update("classes", results.size(), cls.size());
            }
        } catch (EvalInputException e) {
            throw new UserError(e.getMessage());
        }
        VocEval.Metric m = metric.metric;
        double map = results.stream().mapToDouble(r -> r.ap(m)).sum() / results.size();
        PrintStream out = System.out;
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            putNumber(o, "map", map);
            ObjectNode ap = o.putObject("ap");
            for (VocClassResult r : results) putNumber(ap, r.cls(), r.ap(m));
            out.println(o);
        } else {
            int w = 5;
            for (String c : cls) w = Math.max(w, c.length());
            out.println(String.format("%-" + w + "s  %7s  %6s  %9s  %10s", "class", "AP", "GT", "difficult", "detections"));
            for (VocClassResult r : results) {
                out.println(String.format("%-" + w + "s  %7s  %6d  %9d  %10d", r.cls(), PyFormat.fixed(r.ap(m), 4), r.npos(),
                        r.numDifficult(), r.numDetections()));
            }
            out.println(String.format("%-" + w + "s  %7s   (%s, %d classes)", "mAP", PyFormat.fixed(map, 4),
                    m == VocEval.Metric.ELEVEN_POINT ? "11-point" : "area", results.size()));
        }
        if (plots != null) progress.say("wrote " + VocReport.write(results, m, plots, progress));
        out.flush();
        return 0;
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }
}
