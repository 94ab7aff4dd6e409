package io.resdet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.eval.EvalInputException;
import io.resdet.eval.mot.MotFile;
import io.resdet.eval.mot.MotMetrics;
import io.resdet.eval.mot.MotResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code resdet eval mot}: CLEAR MOT, identity and HOTA metrics of a tracker's MOTChallenge results. */
@Command(name = "mot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score multi-object tracking: MOTA, IDF1, HOTA and more from MOTChallenge text files.",
                "Files: frame,id,x,y,w,h,conf,... per line, frames from 1. Metrics:",
                "MOTA, MOTP (mean IoU of matches), ID switches, fragmentations, MT/PT/ML as py-motmetrics computes them;",
                "IDF1/IDP/IDR from the global trajectory matching; HOTA, DetA, AssA, LocA as TrackEval computes them.",
                "Ground-truth rows with conf 0 are ignored; classes are not looked at."},
        footer = {"", "Example:", "  resdet eval mot --gt seq7/gt/gt.txt --dt seq7/res.txt --json"})
public final class EvalMotCommand implements Callable<Integer> {
    @Option(names = "--gt", required = true, paramLabel = "FILE", description = "Ground truth, e.g. DIR/gt/gt.txt from `data synth-video`.")
    Path gt;

    @Option(names = "--dt", required = true, paramLabel = "FILE", description = "Tracker results, e.g. from `detect --track --mot-results`.")
    Path dt;

    @Option(names = "--iou", defaultValue = "0.5", paramLabel = "T",
            description = "Least IoU for a match in CLEAR MOT and IDF1 (default: ${DEFAULT-VALUE}; HOTA uses its own 0.05..0.95).")
    double iou;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    public Integer call() {
        if (!(iou > 0 && iou <= 1)) throw new UserError("--iou must be in (0, 1], got " + iou);
        for (Path p : new Path[] {gt, dt}) if (!Files.isRegularFile(p)) throw new UserError(p + ": no such file");
        MotResult m;
        try {
            m = MotMetrics.evaluate(MotFile.read(gt, true), MotFile.read(dt, false), iou);
        } catch (EvalInputException e) {
            throw new UserError(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UserError(e.getMessage());
        }
        PrintStream out = System.out;
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            num(o, "mota", m.mota());
            num(o, "idf1", m.idf1());
            o.put("id_switches", m.idSwitches());
            o.put("fragmentations", m.fragmentations());
            num(o, "hota", m.hota());
            num(o, "deta", m.detA());
            num(o, "assa", m.assA());
            num(o, "loca", m.locA());
            num(o, "motp", m.motp());
            num(o, "idp", m.idp());
            num(o, "idr", m.idr());
            o.put("idtp", m.idtp());
            o.put("idfp", m.idfp());
            o.put("idfn", m.idfn());
            o.put("matches", m.matches());
            o.put("false_positives", m.falsePositives());
            o.put("misses", m.misses());
            o.put("mostly_tracked", m.mostlyTracked());
            o.put("partially_tracked", m.partiallyTracked());
            o.put("mostly_lost", m.mostlyLost());
            o.put("frames", m.frames());
            o.put("gt_boxes", m.gtObjects());
            o.put("predicted_boxes", m.predictions());
            o.put("gt_tracks", m.gtTracks());
            o.put("predicted_tracks", m.predictedTracks());
            o.put("iou", iou);
            out.println(o);
        } else {
            out.printf(Locale.ROOT, "MOTA   %7.4f   (FN %d, FP %d, IDSW %d over %d ground-truth boxes)%n", m.mota(), m.misses(),
                    m.falsePositives(), m.idSwitches(), m.gtObjects());
            out.printf(Locale.ROOT, "IDF1   %7.4f   (IDP %.4f, IDR %.4f; IDTP %d, IDFP %d, IDFN %d)%n", m.idf1(), m.idp(), m.idr(),
                    m.idtp(), m.idfp(), m.idfn());
            out.printf(Locale.ROOT, "HOTA   %7.4f   (DetA %.4f, AssA %.4f, LocA %.4f)%n", m.hota(), m.detA(), m.assA(), m.locA());
            out.printf(Locale.ROOT, "MOTP   %7.4f   (mean IoU of the %d matched boxes)%n", m.motp(), m.matches() + m.idSwitches());
            out.printf(Locale.ROOT, "IDSW %d, Frag %d, MT %d, PT %d, ML %d; %d frames, %d ground-truth and %d tracker trajectories, IoU >= %s%n",
                    m.idSwitches(), m.fragmentations(), m.mostlyTracked(), m.partiallyTracked(), m.mostlyLost(), m.frames(),
                    m.gtTracks(), m.predictedTracks(), iou);
        }
        out.flush();
        return 0;
    }

    private static void num(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }
}
