package io.resdet.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.backbone.Backbone;
import io.resdet.data.ImageSet;
import io.resdet.io.CheckpointException;
import io.resdet.nn.Param;
import io.resdet.nn.Weights;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training oracle for the paper's CIFAR networks: resdet trains one (exactly as {@link ClassificationRun} does, the
 * experiments' loop), recording its initial weights and every augmented batch; PyTorch, with a network written from
 * the paper, trains from those weights on those batches with the same optimiser and schedule; {@link OracleComparison}
 * judges whether resdet's loss curve tracks PyTorch's. The PyTorch side is Debian's {@code python3-torch}.
 */
public final class TrainingOracle {
    private static final Pattern CIFAR = Pattern.compile("(plain_)?resnet(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A run to compare; {@code perturb} is the relative float-noise perturbation of the reference's further
     * {@code perturbedRuns} runs.
     */
    public record Settings(String arch, int iterations, int batch, double lr, boolean warmup, long seed, String python,
                           int threads, double perturb, int perturbedRuns) {
        public Settings {
            Matcher m = CIFAR.matcher(arch);
            // resnet18/34/50/101/152 name torchvision's ImageNet networks, even where the depth is 6n+2 (50).
            if (!m.matches() || (Integer.parseInt(m.group(2)) - 2) % 6 != 0 || Integer.parseInt(m.group(2)) < 8
                    || io.resdet.backbone.ResNets.isImageNet(arch)) {
                throw new IllegalArgumentException("the oracle trains the paper's CIFAR networks: resnetN or plain_resnetN with N = 6n+2, got '" + arch + "'");
            }
            if (iterations < 2) throw new IllegalArgumentException("--iterations must be at least 2");
            if (batch < 2) throw new IllegalArgumentException("--batch must be at least 2 (BatchNorm needs a batch)");
            if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
            if (perturbedRuns < 1) throw new IllegalArgumentException("at least one perturbed reference run is needed");
        }

        /** Rate 0.1 without warm-up, two threads, two perturbed reference runs at {@code 1e-6}. */
        public Settings(String arch, int iterations, int batch, long seed, String python) {
            this(arch, iterations, batch, 0.1, false, seed, python, 2, 1e-6, 2);
        }

        int depth() {
            Matcher m = CIFAR.matcher(arch);
            if (!m.matches()) throw new IllegalStateException(arch);
            return Integer.parseInt(m.group(2));
        }
    }

    /**
     * Both curves and what they are judged by. {@code init}: the initial tensors whose spread differs from the paper's
     * initialisation (empty when none).
     */
    public record Result(Settings settings, String data, double[] resdetLoss, double[] torchLoss, double[][] perturbedLoss,
                         double[] resdetError, double[] torchError, double[] resdetLr, double[] torchLr,
                         double resdetSecondsPerIteration, double torchSecondsPerIteration, List<String> init,
                         String torchVersion) {
        public OracleComparison comparison() {
            return new OracleComparison(resdetLoss, torchLoss, perturbedLoss, Math.max(10, resdetLoss.length / 10));
        }

        /** Iterations whose learning rate differs between the two sides. */
        public int lrMismatches() {
            int n = 0;
            for (int i = 0; i < resdetLr.length; i++) if (Math.abs(resdetLr[i] - torchLr[i]) > 1e-12 * resdetLr[i]) n++;
            return n;
        }

        /** Tracks: the losses, the schedule (a pure function of the iteration without warm-up) and the initialisation. */
        public boolean tracks() {
            return comparison().tracks() && (settings.warmup() || lrMismatches() == 0) && init.isEmpty();
        }
    }

    private TrainingOracle() {}

    /** Trains on {@code train} (test error is not compared); {@code work} receives the exchanged files. */
    public static Result run(Settings s, ImageSet train, String dataLabel, Path work) throws IOException {
        Files.createDirectories(work);
        Path weights = work.resolve("initial.safetensors"), pixels = work.resolve("pixels.u8"), labels = work.resolve("labels.i64");
        double[] loss = new double[s.iterations()], err = new double[s.iterations()], lr = new double[s.iterations()];
        Map<String, double[]> initStats = new LinkedHashMap<>();
        double[][][] stats = new double[1][][];
        long[] clock = new long[2];
        try (OutputStream px = new BufferedOutputStream(Files.newOutputStream(pixels), 1 << 20);
             OutputStream lb = new BufferedOutputStream(Files.newOutputStream(labels), 1 << 16)) {
            ClassificationRun.Tap tap = new ClassificationRun.Tap() {
                @Override
                public void started(Backbone net, double[][] st) {
                    stats[0] = st;
                    try {
                        Weights.exportSafetensors(net, weights, null);
                    } catch (CheckpointException e) {
                        throw new UncheckedIOException(e);
                    }
                    for (Map.Entry<String, Param> e : net.namedTensors().entrySet()) {
                        NDArray a = e.getValue().get();
                        if (a.getDataType() != DataType.FLOAT32 || a.size() < 2) continue;
                        float[] v = a.toFloatArray();
                        double sum = 0, sq = 0;
                        for (float x : v) sum += x;
                        double mean = sum / v.length;
                        for (float x : v) sq += (x - mean) * (x - mean);
                        // torch's std is the unbiased one
                        initStats.put(e.getKey(), new double[] {mean, Math.sqrt(sq / (v.length - 1)), v.length});
                    }
                    clock[0] = System.nanoTime();
                }

                @Override
                public void step(long it, byte[] pixelBytes, int[] y, double l, double e, double rate) {
                    try {
                        px.write(pixelBytes);
                        ByteBuffer b = ByteBuffer.allocate(8 * y.length).order(ByteOrder.LITTLE_ENDIAN);
                        for (int v : y) b.putLong(v);
                        lb.write(b.array());
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                    loss[(int) it] = l;
                    err[(int) it] = e;
                    lr[(int) it] = rate;
                    clock[1] = System.nanoTime();
                }
            };
            ImageSet probe = train.head(Math.min(64, train.size()));
            var cfg = new ClassificationRun.Config(s.iterations(), s.batch(), s.lr(), s.warmup(), s.iterations(), probe.size(), s.seed());
            ClassificationRun.train(s.arch(), train, probe, cfg, null, null, tap);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        ObjectNode c = JSON.createObjectNode();
        c.put("depth", s.depth());
        c.put("residual", !s.arch().startsWith("plain_"));
        c.put("in_channels", train.channels());
        c.put("height", train.height());
        c.put("width", train.width());
        c.put("classes", train.classes().size());
        c.put("iterations", s.iterations());
        c.put("batch", s.batch());
        c.put("lr", s.lr());
        c.put("warmup", s.warmup());
        c.put("seed", s.seed());
        c.put("threads", s.threads());
        c.put("perturb", s.perturb());
        c.put("perturbed_runs", s.perturbedRuns());
        c.set("mean", JSON.valueToTree(stats[0][0]));
        c.set("std", JSON.valueToTree(stats[0][1]));
        c.put("weights", weights.toString());
        c.put("pixels", pixels.toString());
        c.put("labels", labels.toString());
        Path config = work.resolve("config.json"), out = work.resolve("torch.json");
        JSON.writeValue(config.toFile(), c);
        JsonNode t = runTorch(s, config, out);
        Map<String, Double> tStd = new LinkedHashMap<>(), tMean = new LinkedHashMap<>();
        t.get("init_std").fields().forEachRemaining(e -> tStd.put(e.getKey(), e.getValue().asDouble()));
        t.get("init_mean").fields().forEachRemaining(e -> tMean.put(e.getKey(), e.getValue().asDouble()));
        double[][] perturbed = new double[t.get("loss_perturbed").size()][];
        for (int k = 0; k < perturbed.length; k++) perturbed[k] = doubles(t.get("loss_perturbed").get(k));
        return new Result(s, dataLabel, loss, doubles(t.get("loss")), perturbed, err,
                doubles(t.get("error")), lr, doubles(t.get("lr")), (clock[1] - clock[0]) / 1e9 / Math.max(1, s.iterations() - 1),
                t.get("seconds_per_iteration").asDouble(), OracleComparison.initDifferences(initStats, tStd, tMean),
                t.get("torch").asText());
    }

    private static JsonNode runTorch(Settings s, Path config, Path out) throws IOException {
        Path script = config.resolveSibling("train_oracle.py"), err = config.resolveSibling("torch.err");
        try (InputStream in = TrainingOracle.class.getResourceAsStream("train_oracle.py")) {
            Files.write(script, in.readAllBytes());
        }
        ProcessBuilder pb = new ProcessBuilder(s.python(), script.toString(), config.toString(), out.toString())
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(s.threads()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start the PyTorch reference '" + s.python() + "' (install Debian's python3-torch): " + e.getMessage());
        }
        try {
            int code = p.waitFor();
            if (code != 0) {
                List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
                String last = lines.isEmpty() ? "no message" : lines.get(lines.size() - 1);
                throw new IOException("the PyTorch reference failed (exit " + code + "): " + last
                        + (last.contains("No module named") ? " — install Debian's python3-torch" : "") + " (full log: " + err + ")");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the PyTorch reference ran");
        }
        return JSON.readTree(out.toFile());
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asDouble();
        return out;
    }

    /** A Markdown summary: settings, the verdict, and the final window of both curves. */
    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| data | network | iterations × batch | first loss resdet / torch | final-window loss resdet / torch / torch+noise | final-window train err resdet / torch | worst window: gap / tolerance | s/it resdet / torch | verdict |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            OracleComparison c = r.comparison();
            double[] wr = OracleComparison.windows(r.resdetLoss(), c.window()), wt = OracleComparison.windows(r.torchLoss(), c.window()),
                    er = OracleComparison.windows(r.resdetError(), c.window()), et = OracleComparison.windows(r.torchError(), c.window());
            int last = wr.length - 1, worst = c.worstWindow();
            StringBuilder noisy = new StringBuilder();
            for (double[] p : r.perturbedLoss()) {
                double[] wp = OracleComparison.windows(p, c.window());
                noisy.append(noisy.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", wp[last]));
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d × %d | %.5f / %.5f | %.4f / %.4f / %s | %.1f%% / %.1f%% | %.4f / %.4f (window %d) | %.2f / %.2f | %s |%n",
                    r.data(), r.settings().arch(), r.settings().iterations(), r.settings().batch(), r.resdetLoss()[0], r.torchLoss()[0],
                    wr[last], wt[last], noisy, 100 * er[last], 100 * et[last], c.gaps()[worst], c.tolerances()[worst], worst,
                    r.resdetSecondsPerIteration(), r.torchSecondsPerIteration(), r.tracks() ? "tracks" : "DOES NOT TRACK"));
        }
        return sb.toString();
    }

    /** Per-window means of every curve, with each window's gap and tolerance. */
    public static List<String> windowLines(Result r) {
        OracleComparison c = r.comparison();
        double[] wr = OracleComparison.windows(r.resdetLoss(), c.window()), wt = OracleComparison.windows(r.torchLoss(), c.window()),
                gap = c.gaps(), tol = c.tolerances();
        List<String> out = new ArrayList<>();
        for (int k = 0; k < wr.length; k++) {
            StringBuilder noisy = new StringBuilder();
            for (double[] p : r.perturbedLoss()) {
                noisy.append(noisy.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", OracleComparison.windows(p, c.window())[k]));
            }
            out.add(String.format(Locale.ROOT, "%d-%d: resdet %.4f, torch %.4f, torch+noise %s; gap %.4f, tolerance %.4f", k * c.window(),
                    Math.min(r.resdetLoss().length, (k + 1) * c.window()) - 1, wr[k], wt[k], noisy, gap[k], tol[k]));
        }
        return out;
    }
}
