package io.resdet.streamservice;

import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The HTTP server's settings and limits (keys as in {@link ServiceConfig}). Every limit exists because one client
 * could otherwise take the server down: a decompression-bomb image ({@code max-pixels}), connections that never
 * finish a request ({@code http-request-timeout-s}, {@code http-idle-timeout-s}), too many of them
 * ({@code http-max-connections}), or a few huge-but-allowed images decoded at once ({@code http-max-concurrent-detects}).
 */
public record HttpSettings(String host, int port, long maxBodyBytes, long maxPixels, int idleTimeoutS,
                           int requestTimeoutS, int maxConnections, int maxConcurrentDetects, String token,
                           boolean insecure) {

    /** What a non-loopback bind without a token says; the flag names are the CLI's, the key names the config's. */
    public static final String NO_TOKEN = "refusing to serve HTTP on a non-loopback address without an API token: set"
            + " --http-token / http-token / RESDET_HTTP_TOKEN, or pass --insecure to serve it open";

    public static HttpSettings from(JsonObject c) {
        String host = c.getString("http-host", "127.0.0.1");
        String token = c.getString("http-token");
        if (token != null && token.isBlank()) token = null; // an empty RESDET_HTTP_TOKEN= means none, not "" as a password
        HttpSettings s = new HttpSettings(host, c.getInteger("http-port", 8080),
                positive(c, "max-body-bytes", 8L << 20),
                positive(c, "max-pixels", 4096L * 4096), // the Kafka path's default (PipelineSettings)
                (int) positive(c, "http-idle-timeout-s", 60),
                (int) positive(c, "http-request-timeout-s", 30),
                (int) positive(c, "http-max-connections", 256),
                (int) positive(c, "http-max-concurrent-detects", 2),
                token, c.getBoolean("http-insecure", false));
        if (token == null && !s.insecure && !loopback(host)) throw new IllegalArgumentException(NO_TOKEN);
        return s;
    }

    /** True when every address {@code host} names is a loopback one (127.0.0.0/8, ::1): only this machine can connect. */
    public static boolean loopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) if (!a.isLoopbackAddress()) return false;
            return true;
        } catch (UnknownHostException e) {
            return false; // the bind fails anyway; do not let it pass as loopback
        }
    }

    private static long positive(JsonObject c, String key, long dflt) {
        Object v = c.getValue(key);
        if (v == null) return dflt;
        if (!(v instanceof Number n) || n.longValue() <= 0 || n.longValue() > Integer.MAX_VALUE && !key.startsWith("max-")) {
            throw new IllegalArgumentException(key + ": must be a positive integer, got " + v);
        }
        return n.longValue();
    }
}
