package io.resdet.cli.bench;

import ai.djl.Device;
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
 * them, resdet loads them), the same image sizes, device and thread count, runs alternating one to one, medians
 * per stage. On a GPU both sides wait for each stage's kernels before reading the clock (resdet: {@code StageTimer},
 * torchvision: {@code torch.cuda.synchronize()}), and {@code half} runs resdet in float16
 * ({@link FasterRCNN#toHalf()}) and torchvision under float16 autocast. Without a reference ({@code python} null),
 * resdet runs alone on weights of its own seeded initialisation.
 */
public final class DetectorBench {
    static final List<String> STAGES = List.of("total", "transform", "backbone", "rpn", "roi_align", "box_head", "postprocess");

    /** One input size: resdet's stage medians and torchvision's (null without a reference). */
    public record Row(String input, Map<String, Double> resdetMs, Map<String, Double> torchMs) {}

    public static List<Row> run(String arch, int threads, int repeats, List<int[]> sizes, String python) throws IOException {
        return run(arch, threads, repeats, sizes, python, io.resdet.nn.Devices.auto(), false);
    }

    /**
     * @param python the reference's interpreter, or null for resdet alone
     * @param device where resdet (and the reference) run
     * @param half float16 on both sides (GPU only)
     */
    public static List<Row> run(String arch, int threads, int repeats, List<int[]> sizes, String python, Device device,
                                boolean half) throws IOException {
        Engines.pytorch();
        Path weights = Files.createTempFile("resdet-bench", ".pth");
        List<Row> rows = new ArrayList<>();
        try (PythonPeer peer = python == null ? null : new PythonPeer(python, "/io/resdet/cli/bench/fasterrcnn_worker.py", threads);
             NDManager m = NDManager.newBaseManager(device)) {
            FasterRCNN model = FasterRCNNs.builder().setArch(arch).build(m);
            if (peer != null) {
                peer.ask("load " + arch + " " + threads + " " + weights + " " + (device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu")
                        + (half ? " half" : ""));
                Weights.load(model, weights, true);
            } else {
                decisiveHeads(model);
            }
            model.eval();
            model.requiresGrad(false);
            if (half) model.toHalf();
            for (int[] s : sizes) {
                List<Map<String, Double>> ours = new ArrayList<>(), theirs = new ArrayList<>();
                for (int i = -1; i < repeats; i++) { // i = -1 warms both sides up
                    Map<String, Double> a = timeOurs(model, m, s);
                    Map<String, Double> b = new LinkedHashMap<>();
                    if (peer != null) {
                        String[] t = peer.ask("run " + s[0] + " " + s[1] + " " + s[2]).split(" ");
                        for (int k = 0; k < STAGES.size(); k++) b.put(STAGES.get(k), Double.parseDouble(t[k]));
                    }
                    if (i >= 0) {
                        ours.add(a);
                        theirs.add(b);
                    }
                }
                rows.add(new Row(s[0] + "×" + s[1] + "×" + s[2], medians(ours), peer == null ? null : medians(theirs)));
            }
        } finally {
            Files.deleteIfExists(weights);
        }
        return rows;
    }

    /**
     * As the reference worker does to torchvision's freshly initialised model: sharper RPN and class logits, so a
     * realistic number of detections passes the 0.05 score threshold and the later stages have work to do.
     */
    private static void decisiveHeads(FasterRCNN model) {
        Map<String, io.resdet.nn.Param> t = model.namedTensors();
        scale(t.get("rpn.head.cls_logits.weight"), 30f);
        scale(t.get("roi_heads.box_predictor.cls_score.weight"), 40f);
    }

    private static void scale(io.resdet.nn.Param p, float f) {
        if (p != null) p.set(p.get().mul(f));
    }

    private static Map<String, Double> timeOurs(FasterRCNN model, NDManager m, int[] s) {
        try (NDManager sub = m.newSubManager()) {
            List<NDArray> images = new ArrayList<>();
            for (int i = 0; i < s[0]; i++) images.add(sub.randomUniform(0f, 1f, new Shape(3, s[1], s[2])));
            images.get(images.size() - 1).flatten().get(0).toFloatArray(); // the images exist before the clock starts (GPU: queued work done)
            long t0 = System.nanoTime();
            try (StageTimer timer = StageTimer.start()) {
                List<RoIHeads.Result> r = model.detect(images);
                r.forEach(x -> x.scores().toFloatArray());
                Map<String, Double> out = new LinkedHashMap<>();
                out.put("total", (System.nanoTime() - t0) / 1e9);
                out.putAll(timer.seconds());
                // the RPN laps its proposal selection separately (for training profiles); torchvision's rpn holds both
                Double proposals = out.remove("rpn_proposals");
                if (proposals != null) out.merge("rpn", proposals, Double::sum);
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
        return table(arch, threads, repeats, rows, "cpu", false);
    }

    public static String table(String arch, int threads, int repeats, List<Row> rows, String device, boolean half) {
        StringBuilder sb = new StringBuilder();
        boolean reference = rows.stream().anyMatch(r -> r.torchMs() != null);
        sb.append(String.format(Locale.ROOT, "%s inference on %s, %s, %d threads, median of %d %sruns (ms)%n", arch, device,
                half ? "float16" : "float32", threads, repeats, reference ? "alternating " : ""));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%n%s (images × H × W)%n", r.input()));
            if (r.torchMs() == null) {
                sb.append("| stage | resdet ms |\n|---|---:|\n");
                for (String stage : STAGES) sb.append(String.format(Locale.ROOT, "| %s | %.1f |%n", stage, r.resdetMs().get(stage)));
                continue;
            }
            sb.append("| stage | resdet ms | torchvision ms | resdet / torchvision |\n|---|---:|---:|---:|\n");
            for (String stage : STAGES) {
                double a = r.resdetMs().get(stage), b = r.torchMs().get(stage);
                sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f× |%n", stage, a, b, a / b));
            }
        }
        return sb.toString();
    }
}
