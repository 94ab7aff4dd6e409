package io.resdet.streamservice;

import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * HTTP side of the service: health, Prometheus metrics, one-shot detection and the live dashboard (SSE).
 * Config: {@code http-port} (0: any free port), {@code http-host}, {@code max-body-bytes}, {@code bootstrap},
 * {@code kafka} (client properties, for the readiness probe).
 */
public final class HttpVerticle extends VerticleBase {
    private final FrameDetector detector;
    private final Metrics metrics;
    private final Supplier<String> pipelineProblem;
    private HttpServer server;
    private Admin admin;
    private String dashboard;

    /** {@code pipelineProblem}: null while the pipeline is fine, else why it is not. */
    public HttpVerticle(FrameDetector detector, Metrics metrics, Supplier<String> pipelineProblem) {
        this.detector = detector;
        this.metrics = metrics;
        this.pipelineProblem = pipelineProblem;
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public Future<?> start() throws Exception {
        JsonObject c = config();
        long maxBody = c.getLong("max-body-bytes", 8L << 20);
        try (InputStream in = HttpVerticle.class.getResourceAsStream("dashboard.html")) {
            dashboard = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (c.getString("bootstrap") != null) {
            Map<String, Object> props = new HashMap<>(PipelineSettings.flat(c.getJsonObject("kafka", new JsonObject())));
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.getString("bootstrap"));
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2500);
            admin = Admin.create(props);
        }
        Router r = Router.router(vertx);
        r.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
        r.get("/health/ready").handler(this::ready);
        r.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        r.post("/v1/detect").handler(ctx -> {
            metrics.detectRequests.increment(); // counted before the body limit, so rejected requests show too
            ctx.next();
        });
        r.post("/v1/detect").handler(BodyHandler.create().setBodyLimit(maxBody)).handler(this::detect);
        r.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(dashboard));
        r.get("/events").handler(this::events);
        r.route().failureHandler(ctx -> {
            int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            String msg = code == 413 ? "request body larger than max-body-bytes " + maxBody
                    : ctx.failure() == null ? "HTTP " + code : String.valueOf(ctx.failure().getMessage());
            if (!ctx.response().ended()) json(ctx, code, new JsonObject().put("error", msg));
        });
        return vertx.createHttpServer().requestHandler(r)
                .listen(c.getInteger("http-port", 8080), c.getString("http-host", "127.0.0.1"))
                .onSuccess(s -> server = s);
    }

    private void ready(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            JsonObject checks = new JsonObject().put("model", detector != null ? "loaded" : "missing");
            String problem = pipelineProblem.get();
            checks.put("pipeline", problem == null ? "running" : problem);
            boolean broker = false;
            if (admin != null) {
                try {
                    broker = !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS).isEmpty();
                } catch (Exception e) {
                    broker = false;
                }
                checks.put("broker", broker ? "reachable" : "unreachable");
            }
            boolean ok = detector != null && problem == null && (admin == null || broker);
            return new JsonObject().put("status", ok ? "UP" : "DOWN").put("checks", checks);
        }, false).onComplete(ar -> {
            JsonObject body = ar.succeeded() ? ar.result() : new JsonObject().put("status", "DOWN").put("error", ar.cause().toString());
            json(ctx, "UP".equals(body.getString("status")) ? 200 : 503, body);
        });
    }

    private void detect(RoutingContext ctx) {
        byte[] bytes = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        vertx.executeBlocking(() -> {
            long t0 = System.nanoTime();
            RgbImage im;
            try {
                im = Images.decode(bytes, "request body");
            } catch (IOException e) {
                return new JsonObject().put("error", e.getMessage()).put("status", 400);
            }
            var dets = detector.detect(List.of(im)).get(0);
            double ms = (System.nanoTime() - t0) / 1e6;
            return new JsonObject().put("width", im.width()).put("height", im.height()).put("model", detector.modelName())
                    .put("latencyMs", Math.round(ms * 100) / 100.0)
                    .put("detections", new io.vertx.core.json.JsonArray(ResultJson.array(dets).toString()));
        }, false).onComplete(ar -> {
            if (ar.failed()) json(ctx, 500, new JsonObject().put("error", String.valueOf(ar.cause().getMessage())));
            else if (ar.result().containsKey("status")) {
                JsonObject b = ar.result().copy();
                json(ctx, (Integer) b.remove("status"), b);
            }
            else json(ctx, 200, ar.result());
        });
    }

    /** Server-sent events: one {@code data:} line per dashboard frame. */
    private void events(RoutingContext ctx) {
        var res = ctx.response();
        res.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        res.write(": resdet live\n\n");
        MessageConsumer<JsonObject> mc = vertx.eventBus().consumer(DetectionVerticle.LIVE);
        mc.handler(m -> {
            if (res.closed() || res.ended()) {
                mc.unregister();
            } else if (!res.writeQueueFull()) {
                // A slow browser misses frames rather than buffering them: the dashboard shows the latest.
                res.write("data: " + m.body().encode() + "\n\n");
            }
        });
        res.closeHandler(v -> mc.unregister());
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    @Override
    public Future<?> stop() {
        if (admin != null) admin.close(java.time.Duration.ofSeconds(2));
        return server == null ? Future.succeededFuture() : server.close();
    }
}
