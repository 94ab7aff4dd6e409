package io.resdet.streamservice;

import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * HTTP side of the service: health, Prometheus metrics, one-shot detection and the live dashboard (SSE).
 * Config: {@link HttpSettings} (port, host, token, limits), {@code bootstrap}, {@code kafka} (client properties, for
 * the readiness probe).
 */
public final class HttpVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
    private final FrameDetector detector;
    private final Metrics metrics;
    private final Supplier<String> pipelineProblem;
    private HttpServer server;
    private Admin admin;
    private String dashboard;
    /** The zones file as configured (serve --track with zones), for the dashboard to draw; empty without. */
    private JsonObject zones = new JsonObject().put("streams", new JsonObject());
    private HttpSettings settings;
    private Semaphore detects;

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
        HttpSettings hs = HttpSettings.from(c);
        settings = hs;
        detects = new Semaphore(hs.maxConcurrentDetects());
        if (hs.token() == null && !HttpSettings.loopback(hs.host())) {
            System.err.println("resdet: warning: HTTP on " + hs.host() + " without an API token (--insecure): anyone who can"
                    + " reach it can watch every camera's frames on /events");
        }
        try (InputStream in = HttpVerticle.class.getResourceAsStream("dashboard.html")) {
            dashboard = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (c.getString("zones") != null && c.getBoolean("track", false)) {
            // Already validated by the pipeline's zone parser; here it is only passed on as the user wrote it.
            zones = new JsonObject(java.nio.file.Files.readString(java.nio.file.Path.of(c.getString("zones"))));
        }
        if (c.getString("bootstrap") != null) {
            Map<String, Object> props = new HashMap<>(PipelineSettings.flat(c.getJsonObject("kafka", new JsonObject())));
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.getString("bootstrap"));
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2500);
            admin = Admin.create(props);
        }
        HttpGuard guard = new HttpGuard(vertx, metrics, hs);
        Router r = Router.router(vertx);
        r.route().handler(guard::handle);
        r.route().handler(new ApiToken(hs.token())::handle);
        r.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
        r.get("/health/ready").handler(this::ready);
        r.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        r.post("/v1/detect").handler(this::detect);
        r.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(dashboard));
        r.get("/events").handler(this::events);
        r.get("/v1/zones").handler(ctx -> json(ctx, 200, zones));
        r.route().failureHandler(ctx -> {
            int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (code == 500) {
                serverError(ctx, ctx.failure());
            } else if (!ctx.response().ended()) {
                json(ctx, code, new JsonObject().put("error", "HTTP " + code)); // never the exception text: it may quote the request
            }
        });
        // Idle: no byte either way for that long (a stopped client). The request deadline (HttpGuard) catches the ones
        // that dribble. The idle timeout must exceed the slowest detection, which sends nothing until it is done.
        // No h2c: with it the server waits for a client's first bytes (HTTP/1 or HTTP/2?) before it has a connection to
        // count or time, so a socket that sends nothing would escape the cap and the header deadline.
        HttpServerOptions opts = new HttpServerOptions().setIdleTimeout(hs.idleTimeoutS()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setHttp2ClearTextEnabled(false);
        return vertx.createHttpServer(opts).connectionHandler(guard::onConnection).requestHandler(r)
                .listen(hs.port(), hs.host())
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

    /**
     * Reads the body as bytes whatever its content type: {@code curl --data-binary @img.png} labels it a form, and a
     * form parser would choke on an image and quote it back. Stops reading above {@code max-body-bytes}.
     */
    private void detect(RoutingContext ctx) {
        metrics.detectRequests.increment(); // counted before the limits, so rejected requests show too
        HttpServerRequest req = ctx.request();
        long max = settings.maxBodyBytes();
        String declared = req.getHeader("content-length"); // digits only: the HTTP codec rejects anything else
        if (declared != null && (declared.length() > 18 || Long.parseLong(declared) > max)) {
            bodyTooLarge(ctx);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] over = {false};
        req.handler(chunk -> {
            if (over[0]) return;
            if (body.length() + (long) chunk.length() > max) {
                over[0] = true;
                bodyTooLarge(ctx);
            } else {
                body.appendBuffer(chunk);
            }
        });
        req.endHandler(v -> {
            if (!over[0]) detect(ctx, body.getBytes());
        });
    }

    private void bodyTooLarge(RoutingContext ctx) {
        // Close rather than drain: the rest of the body is not worth reading.
        ctx.response().putHeader("connection", "close");
        json(ctx, 413, new JsonObject().put("error", "request body larger than max-body-bytes " + settings.maxBodyBytes()));
        ctx.addEndHandler(ar -> ctx.request().connection().close());
    }

    private void detect(RoutingContext ctx, byte[] bytes) {
        // A decoded max-pixels image and its tensors take hundreds of MB: only so many at once, the rest told to retry.
        if (!detects.tryAcquire()) {
            ctx.response().putHeader("retry-after", "1");
            json(ctx, 503, new JsonObject().put("error", "busy: " + settings.maxConcurrentDetects()
                    + " detections running (http-max-concurrent-detects); retry"));
            return;
        }
        vertx.executeBlocking(() -> {
            try {
                long t0 = System.nanoTime();
                List<String> warnings = new ArrayList<>();
                RgbImage im;
                try {
                    im = Images.decode(bytes, "request body", settings.maxPixels(), warnings::add);
                } catch (Images.TooLargeException e) {
                    // 413, not 422: the content is larger than the server is willing to process (RFC 9110 15.5.14),
                    // measured in pixels rather than bytes; a smaller image is the fix, as for max-body-bytes.
                    return new JsonObject().put("status", 413).put("error", "request body: image of " + e.width() + "x"
                            + e.height() + " pixels, more than max-pixels " + settings.maxPixels());
                } catch (IOException e) {
                    // Not the decoder's detail in parentheses: it may quote bytes of the body.
                    String m = String.valueOf(e.getMessage()), corrupt = "request body: corrupt or unsupported image";
                    return new JsonObject().put("status", 400).put("error", m.startsWith(corrupt) ? corrupt : m);
                }
                if (!warnings.isEmpty()) metrics.decodeWarnings.increment();
                var dets = detector.detect(List.of(im)).get(0);
                double ms = (System.nanoTime() - t0) / 1e6;
                return new JsonObject().put("width", im.width()).put("height", im.height()).put("model", detector.modelName())
                        .put("latencyMs", Math.round(ms * 100) / 100.0)
                        .put("detections", new JsonArray(ResultJson.array(dets).toString()))
                        .put("warnings", new JsonArray(warnings));
            } finally {
                detects.release();
            }
        }, false).onComplete(ar -> {
            if (ar.failed()) serverError(ctx, ar.cause());
            else if (ar.result().containsKey("status")) {
                JsonObject b = ar.result().copy();
                json(ctx, (Integer) b.remove("status"), b);
            }
            else json(ctx, 200, ar.result());
        });
    }

    /** A 500 is our fault: logged in full under an id that the client gets too, so a report can be matched to the log. */
    private static void serverError(RoutingContext ctx, Throwable cause) {
        String id = ctx.response().headers().get(HttpGuard.REQUEST_ID);
        LOG.error("HTTP 500, request_id {} ({} {})", id, ctx.request().method(), ctx.normalizedPath(), cause);
        if (!ctx.response().ended()) {
            json(ctx, 500, new JsonObject().put("error", "internal error; see the server log for request_id " + id).put("request_id", id));
        }
    }

    /** Server-sent events: one {@code data:} line per dashboard frame. */
    private void events(RoutingContext ctx) {
        var res = ctx.response();
        res.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        res.write(": resdet live\n\n");
        // A comment line now and then, so a quiet stream (no frames) is not closed by the idle timeout.
        long heartbeat = vertx.setPeriodic(Math.max(500, settings.idleTimeoutS() * 500L), id -> {
            if (!res.writeQueueFull()) res.write(":\n\n");
        });
        MessageConsumer<JsonObject> mc = vertx.eventBus().consumer(DetectionVerticle.LIVE);
        mc.handler(m -> {
            if (res.closed() || res.ended()) {
                mc.unregister();
            } else if (!res.writeQueueFull()) {
                // A slow browser misses frames rather than buffering them: the dashboard shows the latest.
                res.write("data: " + m.body().encode() + "\n\n");
            }
        });
        ctx.addEndHandler(ar -> {
            vertx.cancelTimer(heartbeat);
            mc.unregister();
        });
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
