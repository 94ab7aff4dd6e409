// Benchmark peer: ONNX Runtime's Java API timing the same Faster R-CNN that resdet runs, exported from torchvision
// (transform inside the graph). Started by `resdet bench detector --peer onnxruntime` as its own JVM
// (`java -cp onnxruntime.jar OrtWorker.java`), so ONNX Runtime never joins resdet's class path or native threads.
// Protocol, one line each way:
//   "load MODEL.onnx THREADS [SPIN]" -> "ok INPUTS"   (SPIN: ONNX Runtime's allow_spinning, 0 unless given)
//   "run IMAGES.f32 N H W"    -> "SECONDS PEAK_RSS_KIB USER_S SYS_S DETECTIONS" where IMAGES.f32 holds N float32
//                                (3, H, W) images, little-endian; USER_S/SYS_S are this process's CPU seconds so far;
//                                DETECTIONS is, per image, "n x1 y1 x2 y2 score label ..." joined by ';'
//   "reset_peak"              -> "ok"  (clears the process's peak RSS, so each size reports its own)
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class OrtWorker {
    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            String[] cmd = line.trim().split(" ");
            switch (cmd[0]) {
                case "load" -> {
                    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                    o.setIntraOpNumThreads(Integer.parseInt(cmd[2]));
                    o.setInterOpNumThreads(1);
                    o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                    // Idle workers block instead of spinning: the two sides take turns, and a peer's threads spinning
                    // through the other side's run would take its cores.
                    o.addConfigEntry("session.intra_op.allow_spinning", cmd.length > 3 ? cmd[3] : "0");
                    session = env.createSession(cmd[1], o);
                    System.out.println("ok " + String.join(",", session.getInputNames()));
                }
                case "run" -> System.out.println(run(env, session, Path.of(cmd[1]), Integer.parseInt(cmd[2]),
                        Integer.parseInt(cmd[3]), Integer.parseInt(cmd[4])));
                case "reset_peak" -> {
                    Files.writeString(Path.of("/proc/self/clear_refs"), "5");
                    System.out.println("ok");
                }
                case "quit" -> {
                    return;
                }
                default -> System.out.println("error unknown command " + cmd[0]);
            }
            System.out.flush();
        }
    }

    static String run(OrtEnvironment env, OrtSession session, Path file, int n, int h, int w) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int per = 3 * h * w;
        List<String> names = new ArrayList<>(session.getInputNames());
        if (names.size() != n) throw new IllegalArgumentException("the model takes " + names.size() + " images, asked for " + n);
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        FloatBuffer all = bytes.asFloatBuffer();
        for (int i = 0; i < n; i++) {
            float[] img = new float[per];
            all.get(img);
            inputs.put(names.get(i), OnnxTensor.createTensor(env, FloatBuffer.wrap(img), new long[] {3, h, w}));
        }
        long t0 = System.nanoTime();
        StringBuilder dets = new StringBuilder();
        try (OrtSession.Result r = session.run(inputs)) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            // torchvision's export names no outputs: per image boxes (K, 4), labels (K), scores (K), in that order
            for (int i = 0; i < n; i++) {
                float[][] boxes = (float[][]) r.get(3 * i).getValue();
                long[] labels = (long[]) r.get(3 * i + 1).getValue();
                float[] scores = (float[]) r.get(3 * i + 2).getValue();
                if (i > 0) dets.append(';');
                dets.append(boxes.length);
                for (int k = 0; k < boxes.length; k++) {
                    dets.append(String.format(Locale.ROOT, " %.3f %.3f %.3f %.3f %.5f %d", boxes[k][0], boxes[k][1], boxes[k][2],
                            boxes[k][3], scores[k], labels[k]));
                }
            }
            double[] cpu = cpuSeconds();
            return String.format(Locale.ROOT, "%.6f %d %.2f %.2f %s", seconds, peakRssKib(), cpu[0], cpu[1], dets);
        } finally {
            for (OnnxValue v : inputs.values()) v.close();
        }
    }

    /** User and system CPU seconds of this process so far (/proc/self/stat fields 14 and 15, at 100 ticks/s). */
    static double[] cpuSeconds() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
    }

    static long peakRssKib() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
