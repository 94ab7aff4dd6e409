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
                "Off loopback (--http-host 0.0.0.0) HTTP needs --http-token (or RESDET_HTTP_TOKEN) or --insecure.",
                "Unset flags below take the config's value, shown as the default."},
        footer = {"", "Example:",
                "  resdet serve --bootstrap 127.0.0.1:9092 --arch fasterrcnn_resnet50_fpn --weights fasterrcnn_resnet50_fpn_coco-258fb6c6.pth --batch 4",
                "  resdet serve --config deploy/serve.yaml --http-host 0.0.0.0 --http-token \"$TOKEN\""})
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin KafkaOptions kafka;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON config file (default: none).")
    Path config;

    @Mixin ModelOptions model;
    @Mixin DetectionOptions detection;
    @Mixin ComputeOptions compute;

    @Option(names = "--representation-size", paramLabel = "N", description = "Box-head width of the weights (default: torchvision's 1024).") Integer representationSize;
    @Option(names = "--rpn-proposals", paramLabel = "N", description = "Proposals kept after NMS; fewer is faster (default: torchvision's 1000).") Integer rpnProposals;
    @Option(names = "--http-port", paramLabel = "P", description = "HTTP port; 0: any free port (default: 8080).") Integer httpPort;
    @Option(names = "--http-host", paramLabel = "HOST", description = "HTTP bind address (default: 127.0.0.1).") String httpHost;
    @Option(names = "--http-token", paramLabel = "TOKEN", description = "HTTP API token (Authorization: Bearer; browsers: /?token=);"
            + " required off loopback. RESDET_HTTP_TOKEN keeps it out of the process list (default: none).") String httpToken;
    @Option(names = "--insecure", description = "Serve HTTP off loopback without a token (prints a warning; default: refused).") Boolean insecure;
    @Option(names = "--group", paramLabel = "ID", description = "Consumer group; instances in one group split the partitions (default: " + io.resdet.streamservice.Topics.GROUP + ").") String group;
    @Option(names = "--batch-ms", paramLabel = "MS", description = "A micro-batch is at most --batch frames or what arrived within MS milliseconds (default: 50).") Integer batchMs;
    @Option(names = "--workers", paramLabel = "N", description = "Detection threads (default: 1).") Integer workers;
    @Option(names = "--max-in-flight", paramLabel = "N", description = "Frames in flight before partitions are paused (default: 64).") Integer maxInFlight;
    @Option(names = "--max-lag-ms", paramLabel = "MS", description = "Frames older than this get a \"skipped\" result instead of detection (default: 0: off).") Long maxLagMs;
    @Option(names = "--exactly-once", description = "Kafka transactions: read_committed readers see each result once (default: off).") Boolean exactlyOnce;
    @Mixin TopicOptions.Frames frames;
    @Mixin TopicOptions.Results results;
    @Mixin TopicOptions.DeadLetters deadLetters;
    @Mixin TrackOptions tracking = new TrackOptions();
    @Option(names = "--tracks-topic", paramLabel = "TOPIC", description = "With --track: compacted topic keeping each stream's tracker state, co-partitioned with the frames topic; created if missing (default: resdet.tracks).") String tracksTopic;
    @Option(names = "--events-topic", paramLabel = "TOPIC", description = "With --track and zones: zone and line events, CloudEvents (default: resdet.events).") String eventsTopic;
    @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds (default: until Ctrl-C).") Double duration;
    @Option(names = "--stop-after", paramLabel = "N", description = "Stop once N frames were handled (results + dead letters): a backlog job (default: no limit).") Long stopAfter;

    Map<String, Object> flags() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("bootstrap", kafka.bootstrap);
        model.putServiceFlags(f, detection, compute);
        f.put("model.representation-size", representationSize);
        f.put("model.rpn-proposals", rpnProposals);
        f.put("http-port", httpPort);
        f.put("http-host", httpHost);
        f.put("http-token", httpToken);
        f.put("http-insecure", insecure);
        f.put("group", group);
        f.put("batch-ms", batchMs);
        f.put("workers", workers);
        f.put("max-in-flight", maxInFlight);
        f.put("max-lag-ms", maxLagMs);
        f.put("exactly-once", exactlyOnce);
        f.put("frames-topic", frames.topic);
        f.put("results-topic", results.topic);
        f.put("dlq-topic", deadLetters.topic);
        tracking.putServiceFlags(f);
        f.put("tracks-topic", tracksTopic);
        f.put("events-topic", eventsTopic);
        kafka.properties().forEach((k, v) -> f.put("kafka." + k, v));
        return f;
    }

    @Override
    public Integer call() throws Exception {
        compute.apply();
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
