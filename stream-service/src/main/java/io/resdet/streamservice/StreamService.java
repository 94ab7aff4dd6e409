package io.resdet.streamservice;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/**
 * The running service: the detection pipeline and the HTTP server, two verticles in one Vert.x instance sharing a
 * model and metrics. {@link #start} blocks until both are up (or fails with one line saying why).
 */
public final class StreamService implements AutoCloseable {
    private final Vertx vertx;
    private final FrameDetector detector;
    private final Metrics metrics;
    private final DetectionVerticle detection;
    private final HttpVerticle http;

    private StreamService(Vertx vertx, FrameDetector detector, Metrics metrics, DetectionVerticle d, HttpVerticle h) {
        this.vertx = vertx;
        this.detector = detector;
        this.metrics = metrics;
        this.detection = d;
        this.http = h;
    }

    /** Starts with the model the config names ({@code model.*}). */
    public static StreamService start(JsonObject config) throws Exception {
        FrameDetector det = Models.fromConfig(config.getJsonObject("model", new JsonObject()));
        try {
            Models.warmUp(det);
            return start(config, det);
        } catch (Exception e) {
            det.close();
            throw e;
        }
    }

    /** Starts with a given detector, which the service closes when it stops. */
    public static StreamService start(JsonObject config, FrameDetector det) throws Exception {
        PipelineSettings.from(config); // fail fast, one line, before anything starts
        Vertx vertx = Vertx.vertx();
        Metrics metrics = new Metrics();
        DetectionVerticle d = new DetectionVerticle(det, metrics);
        HttpVerticle h = new HttpVerticle(det, metrics, () -> {
            DetectionPipeline p = d.pipeline();
            if (p == null) return "starting";
            if (p.healthy()) return null;
            return p.failure() == null ? "stopped" : "failed: " + p.failure().getMessage();
        });
        try {
            await(vertx.deployVerticle(d, new DeploymentOptions().setConfig(config)));
            await(vertx.deployVerticle(h, new DeploymentOptions().setConfig(config)));
        } catch (Exception e) {
            await(vertx.close());
            throw e;
        }
        return new StreamService(vertx, det, metrics, d, h);
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    public int httpPort() {
        return http.port();
    }

    public Metrics metrics() {
        return metrics;
    }

    public Vertx vertx() {
        return vertx;
    }

    public DetectionPipeline pipeline() {
        return detection.pipeline();
    }

    /** Stops consuming, publishes and commits what is in flight, then closes everything. */
    @Override
    public void close() throws Exception {
        try {
            await(vertx.close());
        } finally {
            detector.close();
        }
    }
}
