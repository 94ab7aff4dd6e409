package io.resdet.streamservice;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real HTTP verticle with the tiny model and no broker (the HTTP tests need no Kafka): one Vert.x, one server on
 * an ephemeral port. {@code config} adds to {@link ServiceConfig#defaults()} (loopback, port 0).
 */
final class TestHttpServer implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Vertx vertx = Vertx.vertx();
    final Metrics metrics = new Metrics();
    final int port;

    TestHttpServer(FrameDetector detector, JsonObject config) throws Exception {
        JsonObject c = ServiceConfig.defaults().put("http-port", 0).mergeIn(config);
        HttpVerticle v = new HttpVerticle(detector, metrics, () -> null);
        try {
            vertx.deployVerticle(v, new DeploymentOptions().setConfig(c)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            vertx.close();
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        port = v.port();
    }

    /** The tests' tiny untrained model (its boxes are noise, but the same noise for the same pixels). */
    static FrameDetector tinyDetector() throws IOException {
        return Models.fromConfig(TestSetup.serviceConfig("unused:9092").getJsonObject("model"));
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder b) {
        return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(request(path));
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return send(request(path).header("content-type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
