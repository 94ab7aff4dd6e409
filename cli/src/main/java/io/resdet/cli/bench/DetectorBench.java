package io.resdet.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.resdet.detector.FasterRCNN;
import io.resdet.detector.FasterRCNNs;
import io.resdet.detector.RoIHeads;
import io.resdet.detector.StageTimer;
import io.resdet.nn.Engines;
import io.resdet.nn.Weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Faster R-CNN inference latency, resdet against torchvision: the same seeded weights (torchvision saves
 * them, resdet loads them), the same image sizes and thread count, runs alternating one to one, medians
 * per stage.
 */
public final class DetectorBench {
    static final List<String> STAGES = List.of("total", "transform", "backbone", "rpn", "roi_align", "box_head", "postprocess");

    public record Row(String input, Map<String, Double> resdetMs, Map<String, Double> torchMs) {}

    public static List<Row> run(String arch, int threads, int repeats, List<int[]> sizes, String python) throws IOException {
        Engines.pytorch();
        Path weights = Files.createTempFile("resdet-bench", ".pth");
        List<Row> rows = new ArrayList<>();
        try (PythonPeer peer = new PythonPeer(python, "/io/resdet/cli/bench/fasterrcnn_worker.py", threads);
             NDManager m = NDManager.newBaseManager(io.resdet.nn.Devices.auto())) {
            peer.ask("load " + arch + " " + threads + " " + weights);
            FasterRCNN model = FasterRCNNs.builder().setArch(arch).build(m);
            Weights.load(model, weights, true);
            model.eval();
            model.requiresGrad(false);
            for (int[] s : sizes) {
                List<Map<String, Double>> ours = new ArrayList<>(), theirs = new ArrayList<>();
                for (int i = -1; i < repeats; i++) { // i = -1 warms both sides up
                    Map<String, Double> a = timeOurs(model, m, s);
                    String[] t = peer.ask("run " + s[0] + " " + s[1] + " " + s[2]).split(" ");
                    Map<String, Double> b = new LinkedHashMap<>();
                    for (int k = 0; k < STAGES.size(); k++) b.put(STAGES.get(k), Double.parseDouble(t[k]));
                    if (i >= 0) {
                        ours.add(a);
                        theirs.add(b);
                    }
                }
                rows.add(new Row(s[0] + "×" + s[1] + "×" + s[2], medians(ours), medians(theirs)));
            }
        } finally {
            Files.deleteIfExists(weights);
        }
        return rows;
    }

    private static Map<String, Double> timeOurs(FasterRCNN model, NDManager m, int[] s) {
        try (NDManager sub = m.newSubManager()) {
            List<NDArray> images = new ArrayList<>();
            for (int i = 0; i < s[0]; i++) images.add(sub.randomUniform(0f, 1f, new Shape(3, s[1], s[2])));
            long t0 = System.nanoTime();
            try (StageTimer timer = StageTimer.start()) {
                List<RoIHeads.Result> r = model.detect(images);
                r.forEach(x -> x.scores().toFloatArray());
                Map<String, Double> out = new LinkedHashMap<>();
                out.put("total", (System.nanoTime() - t0) / 1e9);
                out.putAll(timer.seconds());
                return out;
            }
        }
    }

    private static Map<String, Double> medians(List<Map<String, Double>> runs) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String stage : STAGES) {
            double[] v = runs.stream().mapToDouble(r -> r.getOrDefault(stage, 0.0)).toArray();
            out.put(stage, ResNetBench.median(v) * 1e3);
        }
        return out;
    }

    public static String table(String arch, int threads, int repeats, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s inference, %d threads, median of %d alternating runs (ms)%n", arch, threads, repeats));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%n%s (images × H × W)%n", r.input()));
            sb.append("| stage | resdet ms | torchvision ms | resdet / torchvision |\n|---|---:|---:|---:|\n");
            for (String stage : STAGES) {
                double a = r.resdetMs().get(stage), b = r.torchMs().get(stage);
                sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f× |%n", stage, a, b, a / b));
            }
        }
        return sb.toString();
    }
}
