package io.resdet.cli;

import io.resdet.streamservice.EmbeddedBroker;
import io.resdet.streamservice.FrameProducer;
import io.resdet.streamservice.Models;
import io.resdet.streamservice.ServiceConfig;
import io.resdet.streamservice.StreamService;
import io.resdet.streamservice.SyntheticSource;
import io.resdet.streamservice.Topics;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code resdet demo}: broker, service, synthetic cameras and dashboard in one process, no setup. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole streaming pipeline in one process, with no setup.",
                "An embedded Kafka broker, the detection service, synthetic camera streams and the live dashboard.",
                "Runs until Ctrl-C unless --frames or --duration is given.",
                "The model is the bundled one resdet trained on its synthetic shapes (circle, rectangle, triangle), and the",
                "synthetic cameras show such shapes drifting over textured backgrounds; --weights uses another model.",
                "Objects are tracked (ids and trails on the dashboard) and counted as they cross a line down the middle of",
                "each frame (--zones FILE for your own zones and lines; --no-track for plain detection)."},
        footer = {"", "Example:",
                "  resdet demo                      # then open the printed dashboard URL",
                "  resdet demo --frames 20 --streams 1 --http-port 0 --threads 2"})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--frames", paramLabel = "N", description = "Each stream sends N frames; stop once all results are in.")
    Long frames;

    @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds.")
    Double duration;

    @Option(names = "--streams", paramLabel = "K", defaultValue = "2", description = "Synthetic streams (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--fps", paramLabel = "F", defaultValue = "5", description = "Frames per second per stream (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "320x240", description = "Frame size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--http-port", paramLabel = "P", defaultValue = "8080", description = "Dashboard port; 0: any free port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--kafka-port", paramLabel = "P", defaultValue = "0", description = "Broker port; 0: any free port (default).")
    int kafkaPort;

    @Option(names = "--dir", paramLabel = "DIR", description = "Broker data folder (default: a temporary folder, deleted at exit).")
    Path dir;

    @Mixin ModelOptions model;
    @Mixin DetectionOptions detection;
    @Mixin ComputeOptions compute;

    @Option(names = "--max-lag-ms", paramLabel = "MS", defaultValue = "2000", description = "Skip frames older than this (default: ${DEFAULT-VALUE}).")
    long maxLagMs;

    @Option(names = "--no-track", description = "Plain detection: no tracking, no counting line (default: tracked and counted).")
    boolean noTrack;

    @Option(names = "--zones", paramLabel = "FILE", description = "Zones and counting lines (JSON, as serve takes them; default: one line down the middle of each frame).")
    Path zonesFile;

    /** The demo's counting line: down the middle of every stream's frame, in fractions of its size. */
    static final String MIDDLE_LINE = "{\"streams\": {\"*\": {\"normalized\": true,"
            + " \"lines\": [{\"name\": \"middle\", \"from\": [0.5, 0.0], \"to\": [0.5, 1.0]}]}}}\n";

    @Override
    public Integer call() throws Exception {
        compute.apply();
        if (streams < 1) throw new UserError("--streams: must be >= 1, got " + streams);
        if (fps <= 0) throw new UserError("--fps: must be > 0, got " + fps);
        if (frames != null && frames < 1) throw new UserError("--frames: must be >= 1, got " + frames);
        if (duration != null && duration <= 0) throw new UserError("--duration: must be > 0, got " + duration);
        String[] wh = size.toLowerCase().split("x");
        int w, h;
        try {
            w = Integer.parseInt(wh[0]);
            h = Integer.parseInt(wh[1]);
        } catch (RuntimeException e) {
            throw new UserError("--size: expected WxH like 320x240, got '" + size + "'");
        }
        boolean temp = dir == null;
        Path data = temp ? Files.createTempDirectory("resdet-demo-") : dir;
        long t0 = System.nanoTime();
        System.err.println("resdet demo: starting the embedded Kafka broker...");
        EmbeddedBroker broker = EmbeddedBroker.start(data.resolve("kafka"), kafkaPort);
        StreamService svc = null;
        List<Thread> cams = new ArrayList<>();
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch cleanedUp = new CountDownLatch(1);
        try {
            try (Admin a = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
                List<NewTopic> topics = List.of(new NewTopic(Topics.FRAMES, 3, (short) 1), new NewTopic(Topics.RESULTS, 3, (short) 1),
                        new NewTopic(Topics.DEAD_LETTERS, 1, (short) 1));
                a.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) throw e;
            }
            Map<String, Object> flags = new java.util.LinkedHashMap<>();
            model.putServiceFlags(flags, detection, compute);
            if (model.weights == null && detection.scoreThreshold == null) flags.put("model.score-threshold", 0.5);
            String note = model.weights == null
                    ? "model: the bundled resdet-shapes Faster R-CNN (ResNet-18 FPN trained by `resdet train` on `data synth` shapes)"
                    : "model: " + model.weights;
            JsonObject cfg = ServiceConfig.load(null, System.getenv(), flags);
            cfg.put("bootstrap", broker.bootstrap()).put("http-port", httpPort).put("max-lag-ms", maxLagMs);
            if (noTrack && zonesFile != null) throw new UserError("--zones counts tracked objects; it cannot go with --no-track");
            if (!noTrack) {
                Path zones = zonesFile;
                if (zones == null) zones = Files.writeString(data.resolve("zones.json"), MIDDLE_LINE);
                cfg.put("track", true).put("zones", zones.toString());
            }
            try {
                svc = StreamService.start(cfg);
            } catch (io.vertx.core.VertxException | java.net.BindException e) {
                throw new UserError("--http-port " + httpPort + ": " + e.getMessage());
            }
            StreamService service = svc;
            System.err.println("resdet demo: " + note);
            System.err.printf("resdet demo: ready in %.1f s; dashboard: http://127.0.0.1:%d/  (Kafka on %s; Ctrl-C stops)%n",
                    (System.nanoTime() - t0) / 1e9, svc.httpPort(), broker.bootstrap());
            if (cfg.getString("http-token") != null) {
                // The secret is not printed: the user has it, and terminals get logged.
                System.err.printf("resdet demo: an HTTP token is set: open http://127.0.0.1:%d/?token=<your token> once%n", svc.httpPort());
            }
            System.out.println("http://127.0.0.1:" + svc.httpPort() + "/");
            System.out.flush();

            FrameProducer producer = new FrameProducer(broker.bootstrap(), Topics.FRAMES, Map.of());
            for (int i = 0; i < streams; i++) {
                String id = "cam-" + i;
                SyntheticSource src = new SyntheticSource(w, h, frames == null ? -1 : frames, i);
                Thread t = new Thread(() -> {
                    try {
                        long n = 0, start = System.nanoTime();
                        SyntheticSource.Frame f;
                        while (!stopping.get() && (f = src.next()) != null) {
                            long wait = start + (long) (n * 1e9 / fps) - System.nanoTime();
                            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                            producer.send(id, n++, System.currentTimeMillis(), f);
                        }
                        producer.flush();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        if (!stopping.get()) System.err.println("resdet demo: " + id + ": " + e.getMessage());
                    }
                }, "resdet-demo-" + id);
                t.setDaemon(true);
                t.start();
                cams.add(t);
            }

            CountDownLatch ctrlC = new CountDownLatch(1);
            // On Ctrl-C the JVM exits once the hooks return: hold it until the clean-up below has drained and committed.
            Thread hook = new Thread(() -> {
                ctrlC.countDown();
                try {
                    cleanedUp.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + (long) (duration * 1e9);
            long expected = frames == null ? -1 : frames * streams;
            long lastReport = System.nanoTime();
            while (ctrlC.getCount() > 0 && System.nanoTime() < deadline) {
                long done = service.metrics().resultsOut.sum() + service.metrics().deadLetters.sum();
                if (expected > 0 && done >= expected) break;
                if (System.nanoTime() - lastReport > 5e9) {
                    lastReport = System.nanoTime();
                    System.err.printf("resdet demo: %d frames in, %d results, %d skipped%n", service.metrics().framesIn.sum(),
                            service.metrics().resultsOut.sum(), service.metrics().skipped.sum());
                }
                ctrlC.await(100, TimeUnit.MILLISECONDS);
            }
            stopping.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down (Ctrl-C): the JVM waits for this thread to finish the clean-up below
            }
            for (Thread t : cams) t.join(2000);
            producer.close();
            double s = (System.nanoTime() - t0) / 1e9;
            System.err.printf("resdet demo: %d frames in, %d results (%d skipped), %d dead letters in %.1f s%n",
                    svc.metrics().framesIn.sum(), svc.metrics().resultsOut.sum(), svc.metrics().skipped.sum(),
                    svc.metrics().deadLetters.sum(), s);
            return 0;
        } finally {
            stopping.set(true);
            if (svc != null) ServeCommand.closeQuietly(svc);
            broker.close();
            if (temp) deleteTree(data);
            cleanedUp.countDown();
        }
    }

    static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        } catch (java.io.IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
