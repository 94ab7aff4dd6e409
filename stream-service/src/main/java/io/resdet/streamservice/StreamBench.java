package io.resdet.streamservice;

import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import io.resdet.train.LinePlot;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Frames per second through the whole Kafka path (produce → broker → service → results acknowledged, read back)
 * against the same detector called in-process on the same frames with the same batch size: what the streaming
 * machinery costs on top of detection. {@link #soak} runs the pipeline for minutes and samples memory and throughput.
 */
public final class StreamBench {
    private StreamBench() {}

    /**
     * Throughput of both paths, plus latency: in-process, the time of the micro-batch a frame is in; through Kafka,
     * capture to result read back, with frames paced at {@code pacedFps} (70% of the measured Kafka throughput) so
     * the number is the pipeline's and not a queue's.
     */
    public record Result(int frames, int batch, int workers, double inProcessFps, double kafkaFps,
                         double inProcessP50, double inProcessP99, double pacedFps, double kafkaP50, double kafkaP99) {
        public String table() {
            return String.format(Locale.ROOT, """
                    | path | frames | batch | workers | frames/s | latency p50 ms | latency p99 ms |
                    |---|---:|---:|---:|---:|---:|---:|
                    | in-process detect (batch time) | %d | %d | 1 | %.2f | %.1f | %.1f |
                    | through Kafka (embedded broker; capture to result read, paced at %.1f frames/s) | %d | %d | %d | %.2f | %.1f | %.1f |
                    Kafka / in-process throughput: %.2f (overhead %.0f%%)
                    """, frames, batch, inProcessFps, inProcessP50, inProcessP99, pacedFps, frames, batch, workers, kafkaFps,
                    kafkaP50, kafkaP99, kafkaFps / inProcessFps, 100 * (inProcessFps / kafkaFps - 1));
        }
    }

    /** {@code model}: the service's model section; {@code dir}: scratch space for the broker. */
    public static Result run(JsonObject model, int frames, int width, int height, int batch, int workers, Path dir) throws Exception {
        SyntheticSource src = new SyntheticSource(width, height, frames, 1);
        List<FrameSource.Frame> encoded = new ArrayList<>();
        for (int i = 0; i < frames; i++) encoded.add(src.next());

        double inProcess;
        List<Double> batchMs = new ArrayList<>();
        try (FrameDetector d = Models.fromConfig(model)) {
            List<RgbImage> warm = List.of(Images.decode(encoded.get(0).bytes(), "warm-up"));
            d.detect(warm);
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i += batch) {
                long b0 = System.nanoTime();
                List<RgbImage> b = new ArrayList<>();
                for (int j = i; j < Math.min(frames, i + batch); j++) b.add(Images.decode(encoded.get(j).bytes(), "f" + j));
                d.detect(b);
                batchMs.add((System.nanoTime() - b0) / 1e6);
            }
            inProcess = frames / ((System.nanoTime() - t0) / 1e9);
        }

        try (EmbeddedBroker broker = startBroker(dir)) {
            JsonObject cfg = ServiceConfig.defaults().put("bootstrap", broker.bootstrap()).put("http-port", 0)
                    .put("batch-size", batch).put("workers", workers).put("model", model);
            try (StreamService svc = StreamService.start(cfg);
                 FrameProducer p = new FrameProducer(broker.bootstrap(), Topics.FRAMES, Map.of());
                 ResultReader r = new ResultReader(broker.bootstrap(), Topics.RESULTS, true, Map.of())) {
                // Warm the service's model too, so neither side pays first-call costs inside the timing.
                p.send("warm", 0, System.currentTimeMillis(), encoded.get(0));
                p.flush();
                if (r.read(1, Duration.ofSeconds(120), x -> {}) != 1) throw new IllegalStateException("no warm-up result within 120 s");
                long t0 = System.nanoTime();
                for (int i = 0; i < frames; i++) p.send("cam-" + (i % 3), i / 3, System.currentTimeMillis(), encoded.get(i));
                p.flush();
                long got = r.read(frames, Duration.ofSeconds(600), x -> {});
                if (got != frames) throw new IllegalStateException("only " + got + " of " + frames + " results within 600 s");
                double kafka = frames / ((System.nanoTime() - t0) / 1e9);

                // Latency at a rate the pipeline keeps up with: frames sent on a clock, each timed from its capture
                // stamp to the moment its result is read here.
                double paced = 0.7 * kafka;
                List<Double> e2e = new ArrayList<>();
                Thread sender = new Thread(() -> {
                    long start = System.nanoTime();
                    for (int i = 0; i < frames; i++) {
                        long wait = start + (long) (i * 1e9 / paced) - System.nanoTime();
                        if (wait > 0) sleepNanos(wait);
                        p.send("paced-" + (i % 3), i / 3, System.currentTimeMillis(), encoded.get(i));
                    }
                    p.flush();
                }, "resdet-bench-paced");
                sender.start();
                got = r.read(frames, Duration.ofSeconds(600), x -> e2e.add((double) (System.currentTimeMillis() - ResultReader.json(x).get("captureTs").asLong())));
                sender.join();
                if (got != frames) throw new IllegalStateException("only " + got + " of " + frames + " paced results within 600 s");
                return new Result(frames, batch, workers, inProcess, kafka, percentile(batchMs, 50), percentile(batchMs, 99),
                        paced, percentile(e2e, 50), percentile(e2e, 99));
            }
        }
    }

    private static EmbeddedBroker startBroker(Path dir) throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(Files.createDirectories(dir.resolve("kafka")), 0);
        try (Admin a = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            a.createTopics(List.of(new NewTopic(Topics.FRAMES, 3, (short) 1), new NewTopic(Topics.RESULTS, 3, (short) 1),
                    new NewTopic(Topics.DEAD_LETTERS, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) return Double.NaN;
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    private static void sleepNanos(long n) {
        try {
            TimeUnit.NANOSECONDS.sleep(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One soak sample: seconds since start; resident memory, Java heap in use and heap committed (MiB); results/s since
     * the last sample. The committed heap is part of RSS: while the JVM grows it, RSS grows without any leak, so soaks
     * are best run with a fixed heap ({@code -Xms} = {@code -Xmx}).
     */
    public record Sample(double seconds, double rssMiB, double heapMiB, double heapCommittedMiB, double fps, long results) {}

    /** A soak's samples and what they say. */
    public record Soak(List<Sample> samples, int batch, int workers, String size) {
        /**
         * The samples after warm-up: the first third of the run is dropped, since the heap grows to its working size
         * and libtorch allocates its pools there; what comes after must stay flat.
         */
        public List<Sample> steady() {
            return samples.subList(Math.min(samples.size() - 1, Math.max(1, samples.size() / 3)), samples.size());
        }

        /** Least-squares RSS slope over the steady samples, MiB per minute. */
        public double rssSlopePerMinute() {
            List<Sample> s = steady();
            if (s.size() < 2) return 0;
            double mx = s.stream().mapToDouble(Sample::seconds).average().orElse(0), my = s.stream().mapToDouble(Sample::rssMiB).average().orElse(0);
            double num = 0, den = 0;
            for (Sample x : s) {
                num += (x.seconds() - mx) * (x.rssMiB() - my);
                den += (x.seconds() - mx) * (x.seconds() - mx);
            }
            return den == 0 ? 0 : 60 * num / den;
        }

        public String table() {
            StringBuilder sb = new StringBuilder("| t (s) | RSS MiB | heap used MiB | heap committed MiB | frames/s | results |\n"
                    + "|---:|---:|---:|---:|---:|---:|\n");
            for (Sample x : samples) {
                sb.append(String.format(Locale.ROOT, "| %.0f | %.0f | %.0f | %.0f | %.2f | %d |%n", x.seconds(), x.rssMiB(), x.heapMiB(),
                        x.heapCommittedMiB(), x.fps(), x.results()));
            }
            List<Sample> st = steady();
            double min = st.stream().mapToDouble(Sample::rssMiB).min().orElse(Double.NaN);
            double max = st.stream().mapToDouble(Sample::rssMiB).max().orElse(Double.NaN);
            Sample first = st.get(0), last = samples.get(samples.size() - 1);
            double fps = (last.results() - first.results()) / Math.max(1e-9, last.seconds() - first.seconds());
            sb.append(String.format(Locale.ROOT, "RSS from %.0f s to the end (after warm-up): %.0f to %.0f MiB (range %.1f%%), slope %+.2f MiB/min; "
                    + "throughput there %.2f frames/s; %d results in all (batch %d, workers %d, %s)%n", first.seconds(), min, max,
                    100 * (max - min) / min, rssSlopePerMinute(), fps, last.results(), batch, workers, size));
            return sb.toString();
        }

        /** RSS (and heap) over time next to throughput over time. */
        public void writePlot(Path png) throws IOException {
            double[] t = samples.stream().mapToDouble(s -> s.seconds() / 60).toArray();
            double[] rss = samples.stream().mapToDouble(Sample::rssMiB).toArray();
            double[] heap = samples.stream().mapToDouble(Sample::heapMiB).toArray();
            double[] committed = samples.stream().mapToDouble(Sample::heapCommittedMiB).toArray();
            double[] fps = samples.stream().mapToDouble(Sample::fps).toArray();
            double top = Arrays.stream(rss).max().orElse(1);
            LinePlot mem = new LinePlot("Memory (whole JVM: broker + service + producer)", "minutes", "MiB")
                    .add(new LinePlot.Series("RSS", t, rss, LinePlot.PALETTE.get(1), false))
                    .add(new LinePlot.Series("Java heap committed", t, committed, LinePlot.PALETTE.get(2), false))
                    .add(new LinePlot.Series("Java heap in use", t, heap, LinePlot.PALETTE.get(0), true))
                    // From zero: a flat line must look flat, not like noise blown up to the full height.
                    .yRange(0, top * 1.25);
            double fpsTop = Arrays.stream(fps).max().orElse(1);
            LinePlot thr = new LinePlot("Throughput through Kafka", "minutes", "results/s")
                    .add(new LinePlot.Series("results/s", t, fps, LinePlot.PALETTE.get(3), false)).yRange(0, fpsTop * 1.25);
            LinePlot.writePng(png, List.of(mem, thr), 560, 360);
        }
    }

    /** Resident set size of this process from /proc/self/status, MiB (NaN where there is no /proc). */
    public static double rssMiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no RSS column
        }
        return Double.NaN;
    }

    /**
     * Runs broker, service, three synthetic cameras and a result reader in this process for {@code duration},
     * closed loop (at most {@code window} frames without a result, so the backlog and the broker's log stay bounded and
     * the service runs flat out), sampling every {@code every}; {@code onSample} sees each sample as it is taken.
     */
    public static Soak soak(JsonObject model, Duration duration, Duration every, int width, int height, int batch, int workers,
                            Path dir, Consumer<Sample> onSample) throws Exception {
        int window = Math.max(8, 2 * batch * workers + 4);
        List<FrameSource.Frame> encoded = new ArrayList<>();
        SyntheticSource src = new SyntheticSource(width, height, 64, 1);
        for (int i = 0; i < 64; i++) encoded.add(src.next());
        try (EmbeddedBroker broker = startBroker(dir)) {
            JsonObject cfg = ServiceConfig.defaults().put("bootstrap", broker.bootstrap()).put("http-port", 0)
                    .put("batch-size", batch).put("workers", workers).put("model", model);
            AtomicLong sent = new AtomicLong(), results = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            List<Sample> samples = new ArrayList<>();
            try (StreamService svc = StreamService.start(cfg);
                 FrameProducer p = new FrameProducer(broker.bootstrap(), Topics.FRAMES, Map.of())) {
                Thread producer = new Thread(() -> {
                    long[] next = new long[3];
                    while (!stop.get()) {
                        if (sent.get() - results.get() >= window) {
                            sleepNanos(2_000_000);
                            continue;
                        }
                        int s = (int) (sent.get() % 3);
                        p.send("soak-" + s, next[s], System.currentTimeMillis(), encoded.get((int) (next[s]++ % encoded.size())));
                        sent.incrementAndGet();
                    }
                }, "resdet-soak-producer");
                Thread reader = new Thread(() -> {
                    try (ResultReader r = new ResultReader(broker.bootstrap(), Topics.RESULTS, true, Map.of())) {
                        while (!stop.get()) r.read(0, Duration.ofMillis(500), x -> results.incrementAndGet());
                    }
                }, "resdet-soak-reader");
                producer.start();
                reader.start();
                long t0 = System.nanoTime(), end = t0 + duration.toNanos();
                long lastResults = 0, lastT = t0;
                while (true) {
                    long due = Math.min(end, lastT + every.toNanos());
                    sleepNanos(due - System.nanoTime());
                    long now = System.nanoTime(), r = results.get();
                    Runtime rt = Runtime.getRuntime();
                    Sample x = new Sample((now - t0) / 1e9, rssMiB(), (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
                            rt.totalMemory() / 1048576.0, (r - lastResults) / ((now - lastT) / 1e9), r);
                    samples.add(x);
                    if (onSample != null) onSample.accept(x);
                    lastResults = r;
                    lastT = now;
                    if (now >= end) break;
                }
                stop.set(true);
                producer.join(10_000);
                reader.join(10_000);
            }
            return new Soak(samples, batch, workers, width + "x" + height);
        }
    }
}
