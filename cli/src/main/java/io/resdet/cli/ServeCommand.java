package io.resdet.cli;

import io.resdet.streamservice.HttpSettings;
import io.resdet.streamservice.ServiceConfig;
import io.resdet.streamservice.StreamService;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code resdet serve}: the streaming detection service (Kafka in, Kafka out, HTTP on the side). */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Detect objects in the frames on a Kafka topic and publish one JSON result per frame.",
                "Settings, lowest to highest precedence: defaults < --config FILE (YAML/JSON) < RESDET_* environment < flags.",
                "HTTP: /health/live, /health/ready, /metrics (Prometheus), POST /v1/detect, / (live dashboard).",
                "Off loopback (--http-host 0.0.0.0) HTTP needs --http-token (or RESDET_HTTP_TOKEN) or --insecure."})
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (required here, in the config or RESDET_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON config file.")
    Path config;

    @Option(names = "--arch", paramLabel = "NAME", description = "Detector architecture of torchvision weights (default fasterrcnn_resnet50_fpn; not needed for resdet-trained files).")
    String arch;

    @Option(names = "--weights", paramLabel = "FILE", description = "Detector weights (.pth or .safetensors); default: the bundled demo model"
            + " (shapes: circle, rectangle, triangle). resdet-trained files need no --arch.")
    String weights;

    @Option(names = "--num-classes", paramLabel = "N") Integer numClasses;
    @Option(names = "--labels", paramLabel = "SPEC", description = "coco, voc, a names file, or comma-separated names.") String labels;
    @Option(names = "--min-size", paramLabel = "PX") Integer minSize;
    @Option(names = "--max-size", paramLabel = "PX") Integer maxSize;
    @Option(names = "--score-threshold", paramLabel = "S") Double scoreThreshold;
    @Option(names = "--representation-size", paramLabel = "N", description = "Box-head width of the weights (torchvision: 1024).") Integer representationSize;
    @Option(names = "--rpn-proposals", paramLabel = "N", description = "Proposals kept after NMS (torchvision: 1000); fewer is faster.") Integer rpnProposals;
    @Option(names = "--device", paramLabel = "DEV", description = "cpu, gpu or gpu:N.") String device;
    @Option(names = "--http-port", paramLabel = "P", description = "HTTP port (default 8080; 0: any free port).") Integer httpPort;
    @Option(names = "--http-host", paramLabel = "HOST", description = "HTTP bind address (default 127.0.0.1).") String httpHost;
    @Option(names = "--http-token", paramLabel = "TOKEN", description = "HTTP API token (Authorization: Bearer; browsers: /?token=);"
            + " required off loopback. RESDET_HTTP_TOKEN keeps it out of the process list.") String httpToken;
    @Option(names = "--insecure", description = "Serve HTTP off loopback without a token (prints a warning).") Boolean insecure;
    @Option(names = "--group", paramLabel = "ID", description = "Consumer group; instances in one group split the partitions.") String group;
    @Option(names = "--batch-size", paramLabel = "N", description = "Micro-batch: at most N frames (default 4)...") Integer batchSize;
    @Option(names = "--batch-ms", paramLabel = "MS", description = "...or what arrived within MS milliseconds (default 50).") Integer batchMs;
    @Option(names = "--workers", paramLabel = "N", description = "Detection threads (default 1).") Integer workers;
    @Option(names = "--max-in-flight", paramLabel = "N", description = "Frames in flight before partitions are paused (default 64).") Integer maxInFlight;
    @Option(names = "--max-lag-ms", paramLabel = "MS", description = "Frames older than this get a \"skipped\" result instead of detection (default 0: off).") Long maxLagMs;
    @Option(names = "--exactly-once", description = "Kafka transactions: read_committed readers see each result once.") Boolean exactlyOnce;
    @Option(names = "--frames-topic", paramLabel = "T") String framesTopic;
    @Option(names = "--results-topic", paramLabel = "T") String resultsTopic;
    @Option(names = "--dlq-topic", paramLabel = "T") String dlqTopic;
    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "Kafka client property, e.g. security.protocol=SSL (repeatable).")
    Map<String, String> kafka = new LinkedHashMap<>();
    @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds (default: until Ctrl-C).") Double duration;
    @Option(names = "--stop-after", paramLabel = "N", description = "Stop once N frames were handled (results + dead letters): a backlog job.") Long stopAfter;

    Map<String, Object> flags() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("bootstrap", bootstrap);
        f.put("model.arch", arch);
        f.put("model.weights", weights);
        f.put("model.num-classes", numClasses);
        f.put("model.labels", labels);
        f.put("model.min-size", minSize);
        f.put("model.max-size", maxSize);
        f.put("model.score-threshold", scoreThreshold);
        f.put("model.representation-size", representationSize);
        f.put("model.rpn-proposals", rpnProposals);
        f.put("model.device", device);
        f.put("http-port", httpPort);
        f.put("http-host", httpHost);
        f.put("http-token", httpToken);
        f.put("http-insecure", insecure);
        f.put("group", group);
        f.put("batch-size", batchSize);
        f.put("batch-ms", batchMs);
        f.put("workers", workers);
        f.put("max-in-flight", maxInFlight);
        f.put("max-lag-ms", maxLagMs);
        f.put("exactly-once", exactlyOnce);
        f.put("frames-topic", framesTopic);
        f.put("results-topic", resultsTopic);
        f.put("dlq-topic", dlqTopic);
        if (kafka != null) kafka.forEach((k, v) -> f.put("kafka." + k, v));
        return f;
    }

    @Override
    public Integer call() throws Exception {
        JsonObject cfg;
        try {
            cfg = ServiceConfig.load(config, System.getenv(), flags());
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        if (cfg.getString("bootstrap") == null) throw new UserError("--bootstrap: required (or bootstrap in --config, or RESDET_BOOTSTRAP)");
        try {
            HttpSettings.from(cfg); // before the model loads: an open bind without a token is refused at once
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (stopAfter != null && stopAfter < 1) throw new UserError("--stop-after: must be >= 1, got " + stopAfter);
        return run(cfg, duration, stopAfter);
    }

    /** Runs the service until Ctrl-C or {@code duration} seconds; errors become one line. */
    static int run(JsonObject cfg, Double duration, Long stopAfter) throws Exception {
        StreamService svc;
        try {
            svc = StreamService.start(cfg);
        } catch (IllegalArgumentException | IOException e) {
            throw new UserError(e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            closeQuietly(svc);
            stop.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("resdet serve: " + cfg.getString("frames-topic") + " -> " + cfg.getString("results-topic")
                + " on " + cfg.getString("bootstrap") + "; http://" + cfg.getString("http-host") + ":" + svc.httpPort() + "/ ; Ctrl-C stops");
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + (long) (duration * 1e9);
        while (stop.getCount() > 0 && System.nanoTime() < deadline) {
            if (stopAfter != null && svc.metrics().resultsOut.sum() + svc.metrics().deadLetters.sum() >= stopAfter) break;
            if (svc.pipeline() != null && !svc.pipeline().healthy() && svc.pipeline().failure() != null) {
                Runtime.getRuntime().removeShutdownHook(hook);
                svc.close();
                throw new UserError("pipeline failed: " + svc.pipeline().failure().getMessage(), 1);
            }
            stop.await(100, TimeUnit.MILLISECONDS);
        }
        if (stop.getCount() > 0) {
            Runtime.getRuntime().removeShutdownHook(hook);
            svc.close();
        }
        System.err.printf("resdet serve: %d frames in, %d results (%d skipped), %d dead letters%n", svc.metrics().framesIn.sum(),
                svc.metrics().resultsOut.sum(), svc.metrics().skipped.sum(), svc.metrics().deadLetters.sum());
        return 0;
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("resdet: while stopping: " + e.getMessage());
        }
    }
}
