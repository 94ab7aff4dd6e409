package io.resdet.streamservice;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Per-connection limits the HTTP server lacks by itself: at most {@code http-max-connections} open (the rest closed on
 * arrival, so a flood of idle sockets cannot grow memory or file handles), and each request must arrive whole within
 * {@code http-request-timeout-s}: the headers from the moment the connection is ready for them (opened, or the
 * previous response sent), the body from its headers. A client that dribbles bytes keeps the idle timeout from firing;
 * this deadline does not reset. Also tags every response with a request id and counts it by status class.
 */
final class HttpGuard {
    static final String REQUEST_ID = "x-request-id";
    private final Vertx vertx;
    private final Metrics metrics;
    private final int maxConnections;
    private final long requestTimeoutMs;
    /** Connection → timer that closes it unless a request's headers arrive first. */
    private final Map<HttpConnection, Long> awaitingHeaders = new ConcurrentHashMap<>();

    HttpGuard(Vertx vertx, Metrics metrics, HttpSettings s) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.maxConnections = s.maxConnections();
        this.requestTimeoutMs = s.requestTimeoutS() * 1000L;
    }

    void onConnection(HttpConnection conn) {
        if (metrics.httpConnections.incrementAndGet() > maxConnections) {
            metrics.httpConnections.decrementAndGet();
            metrics.httpConnectionsRefused.increment();
            conn.close();
            return;
        }
        conn.closeHandler(v -> {
            metrics.httpConnections.decrementAndGet();
            Long t = awaitingHeaders.remove(conn);
            if (t != null) vertx.cancelTimer(t);
        });
        awaitHeaders(conn);
    }

    private void awaitHeaders(HttpConnection conn) {
        awaitingHeaders.put(conn, vertx.setTimer(requestTimeoutMs, id -> {
            if (awaitingHeaders.remove(conn, id)) conn.close();
        }));
    }

    /** The router's first handler: every request passes here once its headers are in. */
    void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        HttpConnection conn = req.connection();
        Long t = awaitingHeaders.remove(conn);
        if (t != null) vertx.cancelTimer(t);
        var res = ctx.response();
        res.putHeader(REQUEST_ID, String.format("%016x", ThreadLocalRandom.current().nextLong()));
        ctx.addHeadersEndHandler(v -> metrics.httpResponse(res.getStatusCode()));
        long bodyDeadline = vertx.setTimer(requestTimeoutMs, id -> {
            if (req.isEnded()) return; // the request is in; a slow detection is not the client's fault
            if (!res.headWritten()) {
                res.setStatusCode(408).putHeader("content-type", "application/json").putHeader("connection", "close")
                        .end(new JsonObject().put("error", "request not received within http-request-timeout-s "
                                + requestTimeoutMs / 1000).encode());
            }
            conn.close(); // drops the partial body with the connection
        });
        ctx.addEndHandler(ar -> {
            vertx.cancelTimer(bodyDeadline);
            if (ar.succeeded()) awaitHeaders(conn); // keep-alive: the next request gets the same deadline
        });
        ctx.next();
    }
}
