package io.resdet.streamservice;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the {@link DetectionPipeline} for the deployment's JSON config. The pipeline's Kafka clients live on their own
 * thread (they block); results reach the rest of the application on the event bus address {@link #LIVE}.
 */
public final class DetectionVerticle extends VerticleBase {
    /** Event-bus address of processed frames for the dashboard: at most a few per second per stream. */
    public static final String LIVE = "resdet.live";

    private final FrameDetector detector;
    private final Metrics metrics;
    private final Map<String, Long> lastLive = new ConcurrentHashMap<>();
    private volatile DetectionPipeline pipeline;

    public DetectionVerticle(FrameDetector detector, Metrics metrics) {
        this.detector = detector;
        this.metrics = metrics;
    }

    public DetectionPipeline pipeline() {
        return pipeline;
    }

    @Override
    public Future<?> start() {
        PipelineSettings s = PipelineSettings.from(config());
        long minGapMs = config().getLong("live-interval-ms", 200L);
        pipeline = new DetectionPipeline(s, detector, metrics, f -> {
            long now = System.currentTimeMillis();
            Long prev = lastLive.get(f.stream());
            if (prev != null && now - prev < minGapMs) return;
            lastLive.put(f.stream(), now);
            vertx.eventBus().publish(LIVE, new JsonObject().put("stream", f.stream()).put("frame", f.frame())
                    .put("contentType", f.contentType()).put("image", Base64.getEncoder().encodeToString(f.image()))
                    .put("result", new JsonObject(f.result().toString())));
        });
        Promise<Void> p = Promise.promise();
        pipeline.start().whenComplete((v, err) -> {
            if (err == null) p.complete();
            else p.fail(err);
        });
        return p.future();
    }

    @Override
    public Future<?> stop() {
        // Draining commits what is finished; it blocks, so not on the event loop.
        return vertx.executeBlocking(() -> {
            pipeline.close();
            return null;
        });
    }
}
