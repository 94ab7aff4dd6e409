package io.resdet.detector.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.resdet.detector.ops.BoxOps;
import io.resdet.detector.ops.MultiScaleRoIAlign;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark: {@link MultiScaleRoIAlign} (forward, and forward + backward) on Faster R-CNN's FPN maps of an
 * 800 × 1216 image, and {@link BoxOps#nms} of 4000 boxes, against torchvision on the same data.
 *
 * <p>A python child process (torch + torchvision, default {@code /usr/bin/python3}, override with
 * {@code -Dresdet.oracle.python=...}) generates the data, writes it as {@code .npz} for this JVM, and
 * then times torchvision on request, so the two sides alternate run by run on identical inputs and
 * the same intra-op thread count. Prints the median of N runs per side and the ratio.
 *
 * <p>Usage: {@code RoIAlignBench [runs=11] [threads=2] [rois=1000]}
 */
public final class RoIAlignBench {
    private RoIAlignBench() {}

    private static final String PY = """
            import sys, time, json, numpy as np, torch
            from collections import OrderedDict
            from torchvision.ops import MultiScaleRoIAlign, nms
            path, threads, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            torch.set_num_threads(threads)
            torch.manual_seed(0)
            x = OrderedDict()
            for name, (h, w) in zip(["0", "1", "2", "3"], [(200, 304), (100, 152), (50, 76), (25, 38)]):
                x[name] = torch.randn(1, 256, h, w)
            side = torch.exp(torch.rand(k, 2) * (np.log(800) - np.log(16)) + np.log(16))
            xy = torch.rand(k, 2) * torch.tensor([1216., 800.])
            boxes = torch.cat([xy, torch.minimum(xy + side, torch.tensor([1216., 800.]))], 1)
            nb = torch.rand(4000, 2) * torch.tensor([1216., 800.])
            nms_boxes = torch.cat([nb, nb + 20 + torch.rand(4000, 2) * 200], 1)
            nms_scores = torch.rand(4000)
            pooler = MultiScaleRoIAlign(["0", "1", "2", "3"], 7, 2)
            shapes = [(800, 1216)]
            y = pooler(x, [boxes], shapes)
            keep = nms(nms_boxes, nms_scores, 0.7)
            out = {"x" + k_: v.numpy() for k_, v in x.items()}
            out.update(boxes=boxes.numpy(), y=y.numpy(), nms_boxes=nms_boxes.numpy(), nms_scores=nms_scores.numpy(),
                       keep=keep.numpy())
            np.savez(path, **out)
            xg = OrderedDict((k_, v.clone().requires_grad_(True)) for k_, v in x.items())
            print("ready", flush=True)
            for line in sys.stdin:
                cmd = line.strip()
                t0 = time.perf_counter()
                if cmd == "fwd":
                    with torch.no_grad():
                        pooler(x, [boxes], shapes)
                elif cmd == "fwdbwd":
                    pooler(xg, [boxes], shapes).sum().backward()
                    for v in xg.values():
                        v.grad = None
                elif cmd == "nms":
                    nms(nms_boxes, nms_scores, 0.7)
                else:
                    break
                print(time.perf_counter() - t0, flush=True)
            """;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rois = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine.getInstance();
        JniUtils.setNumThreads(threads);

        Path dir = Files.createTempDirectory("roialign-bench");
        Path script = dir.resolve("bench.py");
        Path npz = dir.resolve("data.npz");
        Files.writeString(script, PY);
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("resdet.oracle.python", "/usr/bin/python3"),
                script.toString(), npz.toString(), String.valueOf(threads), String.valueOf(rois));
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process py = pb.start();
        BufferedReader fromPy = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
        Writer toPy = new OutputStreamWriter(py.getOutputStream(), StandardCharsets.UTF_8);
        String ready = fromPy.readLine();
        if (!"ready".equals(ready)) {
            throw new IllegalStateException("python side failed to start: " + ready);
        }

        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> d = new LinkedHashMap<>();
            try (InputStream in = Files.newInputStream(npz)) {
                for (NDArray a : NDList.decode(manager, in)) {
                    d.put(a.getName(), a);
                }
            }
            Map<String, NDArray> x = new LinkedHashMap<>();
            for (String n : new String[] {"0", "1", "2", "3"}) {
                x.put(n, d.get("x" + n));
            }
            List<NDArray> boxes = List.of(d.get("boxes"));
            List<long[]> shapes = List.of(new long[] {800, 1216});
            MultiScaleRoIAlign pooler = MultiScaleRoIAlign.fasterRcnn();

            double maxDiff;
            try (NDManager m = manager.newSubManager()) {
                NDArray y = pooler.forward(x, boxes, shapes);
                y.attach(m);
                maxDiff = y.sub(d.get("y")).abs().max().getFloat();
            }
            boolean sameKeep = Arrays.equals(d.get("keep").toLongArray(),
                    BoxOps.nms(d.get("nms_boxes"), d.get("nms_scores"), 0.7).toLongArray());

            Map<String, NDArray> xg = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : x.entrySet()) {
                NDArray v = e.getValue().duplicate();
                v.setRequiresGradient(true);
                xg.put(e.getKey(), v);
            }

            String[] names = {"fwd", "fwdbwd", "nms"};
            String[] labels = {
                "MultiScaleRoIAlign fwd, " + rois + " RoIs",
                "MultiScaleRoIAlign fwd+bwd, " + rois + " RoIs",
                "NMS 4000 boxes (iou 0.7)"
            };
            List<double[]> java = new ArrayList<>();
            List<double[]> torch = new ArrayList<>();
            for (String name : names) {
                double[] tj = new double[runs];
                double[] tt = new double[runs];
                for (int r = -2; r < runs; r++) { // two warm-up rounds
                    double j = timeJava(name, pooler, x, xg, boxes, shapes, d);
                    toPy.write(name + "\n");
                    toPy.flush();
                    double t = Double.parseDouble(fromPy.readLine());
                    if (r >= 0) {
                        tj[r] = j;
                        tt[r] = t;
                    }
                }
                java.add(tj);
                torch.add(tt);
            }
            toPy.write("quit\n");
            toPy.flush();
            py.waitFor();

            System.out.printf("threads=%d, runs=%d (median), alternating resdet / torchvision %s on the same data%n",
                    threads, runs, "(python " + System.getProperty("resdet.oracle.python", "/usr/bin/python3") + ")");
            System.out.printf("| %-38s | %12s | %16s | %7s |%n", "operation", "resdet (ms)", "torchvision (ms)", "ratio");
            System.out.printf("|%s|%s|%s|%s|%n", "-".repeat(40), "-".repeat(14), "-".repeat(18), "-".repeat(9));
            for (int i = 0; i < names.length; i++) {
                double mj = median(java.get(i)) * 1e3;
                double mt = median(torch.get(i)) * 1e3;
                System.out.printf("| %-38s | %12.1f | %16.1f | %7.2f |%n", labels[i], mj, mt, mj / mt);
            }
            System.out.printf("forward max |resdet - torchvision| = %.3g; NMS kept indices identical: %s%n",
                    maxDiff, sameKeep);
        } finally {
            py.destroy();
        }
    }

    private static double timeJava(String name, MultiScaleRoIAlign pooler, Map<String, NDArray> x,
            Map<String, NDArray> xg, List<NDArray> boxes, List<long[]> shapes, Map<String, NDArray> d) {
        long t0 = System.nanoTime();
        switch (name) {
            case "fwd" -> {
                try (NDArray y = pooler.forward(x, boxes, shapes)) {
                    y.getShape();
                }
            }
            case "fwdbwd" -> {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    try (NDArray y = pooler.forward(xg, boxes, shapes); NDArray s = y.sum()) {
                        gc.backward(s);
                    }
                }
                // the next backward starts from zero gradients, as the python side's grad = None
                for (NDArray v : xg.values()) {
                    v.getGradient().subi(v.getGradient());
                }
            }
            case "nms" -> {
                try (NDArray keep = BoxOps.nms(d.get("nms_boxes"), d.get("nms_scores"), 0.7)) {
                    keep.getShape();
                }
            }
            default -> throw new IllegalArgumentException(name);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

}
