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
import io.resdet.nn.Flops;
import io.resdet.nn.Weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Faster R-CNN inference latency, resdet against a peer on the same seeded weights (torchvision builds and saves them,
 * resdet loads them), the same images, device and thread count, rounds alternating one to one, medians.
 * <ul>
 *   <li>{@link Peer#TORCHVISION}: torchvision itself, per stage. On a GPU both sides wait for each stage's kernels
 *   before reading the clock (resdet: {@code StageTimer}, torchvision: {@code torch.cuda.synchronize()}); {@code half}
 *   runs resdet in float16 ({@link FasterRCNN#toHalf()}) and torchvision under float16 autocast.</li>
 *   <li>{@link Peer#ONNXRUNTIME}: the same model exported by torchvision to ONNX (transform inside the graph, opset 11,
 *   cached per batch shape) and run by ONNX Runtime's Java API in its own JVM ({@link OnnxRuntimePeer}); its
 *   detections on the same images are compared with resdet's, so the ratio is known to compare like with like.</li>
 *   <li>{@link Peer#NONE}: resdet alone, on weights of its own seeded initialisation.</li>
 * </ul>
 * Every row also has the arithmetic (convolution and linear multiply-adds, counted by {@link Flops} on resdet's
 * warm-up run) and each side's peak RSS for that size.
 */
public final class DetectorBench {
    static final List<String> STAGES = List.of("total", "transform", "backbone", "fpn", "rpn", "roi_align", "box_head", "postprocess");

    public enum Peer { TORCHVISION, ONNXRUNTIME, NONE }

    /**
     * What to run: {@code python} is the interpreter that builds the weights (and exports them), unused for NONE;
     * {@code unoptimized} skips {@link FasterRCNN#optimizeForInference()} (the "before" of a before/after).
     */
    public record Settings(String arch, int threads, int repeats, List<int[]> sizes, Peer peer, String python, Device device,
                           boolean half, boolean unoptimized) {}

    /**
     * One input size: resdet's stage medians, the peer's (only "total" for ONNX Runtime; null without a peer), the
     * multiply-adds, both peaks (MiB; the peer's -1 when unknown), for ONNX Runtime how the outputs agree, and each
     * side's CPU seconds (user, kernel) per timed run (the peer's null when unknown).
     */
    public record Row(String input, Map<String, Double> resdetMs, Map<String, Double> peerMs, long multiplyAdds,
                      double resdetPeakMiB, double peerPeakMiB, String agreement, double[] resdetCpu, double[] peerCpu) {}

    public static List<Row> run(Settings s) throws IOException {
        Engines.pytorch();
        Path weights = Files.createTempFile("resdet-bench", ".pth");
        List<Row> rows = new ArrayList<>();
        try (PythonPeer python = s.peer() == Peer.NONE ? null : new PythonPeer(s.python(), "/io/resdet/cli/bench/fasterrcnn_worker.py", s.threads());
             NDManager m = NDManager.newBaseManager(s.device())) {
            FasterRCNN model = FasterRCNNs.builder().setArch(s.arch()).build(m);
            String versions = "";
            if (python != null) {
                versions = python.ask("load " + s.arch() + " " + s.threads() + " " + weights + " "
                        + (s.device().isGpu() ? "cuda:" + s.device().getDeviceId() : "cpu") + (s.half() ? " half" : ""));
                Weights.load(model, weights, true);
            } else {
                decisiveHeads(model);
            }
            model.eval();
            model.requiresGrad(false);
            if (s.half()) model.toHalf();
            else if (!s.unoptimized()) model.optimizeForInference();
            for (int[] size : s.sizes()) {
                rows.add(s.peer() == Peer.ONNXRUNTIME ? againstOnnxRuntime(s, model, m, python, versions, size) : againstTorchvision(s, model, m, python, size));
            }
        } finally {
            Files.deleteIfExists(weights);
        }
        return rows;
    }

    private static Row againstTorchvision(Settings s, FasterRCNN model, NDManager m, PythonPeer python, int[] size) throws IOException {
        float[] pixels = images(size);
        List<Map<String, Double>> ours = new ArrayList<>(), theirs = new ArrayList<>();
        PeakRss.reset();
        long macs = 0;
        double[] cpu0 = null;
        for (int i = -1; i < s.repeats(); i++) { // i = -1 warms both sides up
            if (i == 0) cpu0 = PeakRss.cpuSeconds();
            Timed a = timeOurs(model, m, size, pixels, i < 0);
            if (i < 0) macs = a.multiplyAdds();
            Map<String, Double> b = new LinkedHashMap<>();
            if (python != null) {
                String[] t = python.ask("run " + size[0] + " " + size[1] + " " + size[2]).split(" ");
                List<String> theirStages = List.of("total", "transform", "backbone", "rpn", "roi_align", "box_head", "postprocess");
                for (int k = 0; k < theirStages.size(); k++) b.put(theirStages.get(k), Double.parseDouble(t[k]));
            }
            if (i >= 0) {
                ours.add(a.stages());
                theirs.add(b);
            }
            progress(size, i, s.repeats(), a.stages().get("total"), b.get("total"), "torchvision");
        }
        Map<String, Double> peer = python == null ? null : medians(theirs);
        return new Row(label(size), medians(ours), peer, macs, PeakRss.mib(), -1, null, perRun(cpu0, PeakRss.cpuSeconds(), s.repeats()), null);
    }

    /** {@code versions}: the worker's reply to "load" (torch's and torchvision's versions), part of the export's cache key. */
    private static Row againstOnnxRuntime(Settings s, FasterRCNN model, NDManager m, PythonPeer python, String versions,
                                          int[] size) throws IOException {
        if (s.device().isGpu() || s.half()) throw new IllegalArgumentException("the ONNX Runtime peer runs on the CPU in float32 only");
        Path onnx = OnnxExports.path(s.arch(), size, versions);
        if (!Files.isRegularFile(onnx)) {
            System.err.printf("bench: exporting %s for %s images to ONNX with torchvision (once; cached as %s)%n", s.arch(), label(size), onnx);
            Files.createDirectories(onnx.getParent());
            python.ask("export " + size[0] + " " + size[1] + " " + size[2] + " " + onnx);
        }
        float[] pixels = images(size);
        Path file = Files.createTempFile("resdet-bench", ".f32");
        try {
            ByteBuffer bb = ByteBuffer.allocate(pixels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(pixels);
            Files.write(file, bb.array());
            try (OnnxRuntimePeer ort = new OnnxRuntimePeer(OnnxRuntimePeer.jar(), onnx, s.threads())) {
                ort.resetPeak();
                PeakRss.reset();
                List<Map<String, Double>> ours = new ArrayList<>(), theirs = new ArrayList<>();
                long macs = 0, peerPeak = -1;
                String agreement = null;
                double[] ours0 = null, theirs0 = null, theirs1 = null;
                for (int i = -1; i < s.repeats(); i++) { // i = -1 warms both sides up and compares their outputs
                    if (i == 0) ours0 = PeakRss.cpuSeconds();
                    Timed a = timeOurs(model, m, size, pixels, i < 0);
                    OnnxRuntimePeer.Run b = ort.run(file, size[0], size[1], size[2]);
                    peerPeak = Math.max(peerPeak, b.peakRssKib());
                    if (i < 0) theirs0 = b.cpuSeconds();
                    theirs1 = b.cpuSeconds();
                    if (i < 0) {
                        macs = a.multiplyAdds();
                        agreement = Agreement.describe(a.detections(), b.detections());
                    } else {
                        ours.add(a.stages());
                        theirs.add(Map.of("total", b.seconds()));
                    }
                    progress(size, i, s.repeats(), a.stages().get("total"), b.seconds(), "ONNX Runtime");
                }
                // resdet's CPU time spans all timed rounds: its threads are idle during the peer's turns (OpenMP's brief spin aside)
                return new Row(label(size), medians(ours), medians(theirs), macs, PeakRss.mib(), peerPeak / 1024.0, agreement,
                        perRun(ours0, PeakRss.cpuSeconds(), s.repeats()), perRun(theirs0, theirs1, s.repeats()));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** (user, kernel) CPU seconds per run between two readings. */
    private static double[] perRun(double[] from, double[] to, int runs) {
        return from == null || to == null ? null : new double[] {(to[0] - from[0]) / runs, (to[1] - from[1]) / runs};
    }

    /** One line per round on stderr, so a long bench shows where it is and how steady the machine is. */
    private static void progress(int[] size, int round, int repeats, double ours, Double theirs, String peer) {
        System.err.printf(java.util.Locale.ROOT, "bench %s: %s: resdet %.2f s%s%n", label(size),
                round < 0 ? "warm-up" : "round " + (round + 1) + "/" + repeats, ours,
                theirs == null ? "" : String.format(java.util.Locale.ROOT, ", %s %.2f s", peer, theirs));
    }

    /** The bench's images: uniform in [0, 1), seeded by their shape, the same for every side and round. */
    static float[] images(int[] size) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(31L * size[0] + 17L * size[1] + size[2]);
        float[] out = new float[size[0] * 3 * size[1] * size[2]];
        for (int i = 0; i < out.length; i++) out[i] = (float) r.nextDouble();
        return out;
    }

    private static String label(int[] s) {
        return s[0] + "×" + s[1] + "×" + s[2];
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

    /** One resdet run: stage seconds, multiply-adds (when counted) and the detections (boxes, scores, labels per image). */
    record Timed(Map<String, Double> stages, long multiplyAdds, List<OnnxRuntimePeer.Detections> detections) {}

    private static Timed timeOurs(FasterRCNN model, NDManager m, int[] s, float[] pixels, boolean count) {
        try (NDManager sub = m.newSubManager()) {
            List<NDArray> images = new ArrayList<>();
            int per = 3 * s[1] * s[2];
            for (int i = 0; i < s[0]; i++) {
                images.add(sub.create(FloatBuffer.wrap(pixels, i * per, per).slice(), new Shape(3, s[1], s[2])));
            }
            images.get(images.size() - 1).flatten().get(0).toFloatArray(); // the images exist before the clock starts (GPU: queued work done)
            long t0 = System.nanoTime();
            try (StageTimer timer = StageTimer.start()) {
                Flops.Counted<List<RoIHeads.Result>> run = count ? Flops.count(() -> model.detect(images)) : new Flops.Counted<>(model.detect(images), 0);
                List<RoIHeads.Result> r = run.value();
                r.forEach(x -> x.scores().toFloatArray());
                Map<String, Double> out = new LinkedHashMap<>();
                out.put("total", (System.nanoTime() - t0) / 1e9);
                out.putAll(timer.seconds());
                // the RPN laps its proposal selection separately (for training profiles); torchvision's rpn holds both
                Double proposals = out.remove("rpn_proposals");
                if (proposals != null) out.merge("rpn", proposals, Double::sum);
                List<OnnxRuntimePeer.Detections> dets = new ArrayList<>();
                for (RoIHeads.Result x : r) {
                    float[] b = x.boxes().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                    float[][] boxes = new float[b.length / 4][];
                    for (int k = 0; k < boxes.length; k++) boxes[k] = java.util.Arrays.copyOfRange(b, 4 * k, 4 * k + 4);
                    dets.add(new OnnxRuntimePeer.Detections(boxes, x.scores().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(),
                            x.labels().toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()));
                }
                return new Timed(out, run.multiplyAdds(), dets);
            }
        }
    }

    private static Map<String, Double> medians(List<Map<String, Double>> runs) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String stage : STAGES) {
            if (runs.stream().noneMatch(r -> r.containsKey(stage))) continue;
            double[] v = runs.stream().mapToDouble(r -> r.getOrDefault(stage, 0.0)).toArray();
            out.put(stage, ResNetBench.median(v) * 1e3);
        }
        return out;
    }
}
