package io.resdet.streamservice;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The detection pipeline's settings, read from the verticle's JSON config (keys as in {@link ServiceConfig}).
 * {@code tracking}: null unless {@code track: true}. {@code staticMembership}: the instance id was configured, so it is stable across restarts and doubles as Kafka's
 * {@code group.instance.id} (a restarted replica takes its partitions back without a rebalance).
 */
public record PipelineSettings(String bootstrap, String group, String framesTopic, String resultsTopic, String dlqTopic,
                               int batchSize, long batchMs, int maxInFlight, long maxLagMs, int workers,
                               int maxFrameBytes, long maxPixels, boolean exactlyOnce, String instanceId,
                               boolean staticMembership, Map<String, Object> kafka, TrackingSettings tracking) {
    /** Kafka's default record limit (the producer's {@code max.request.size}; the broker's is 1 MiB + 12 bytes). */
    public static final int KAFKA_DEFAULT_RECORD_BYTES = 1 << 20;

    public static PipelineSettings from(JsonObject c) {
        String bootstrap = c.getString("bootstrap");
        if (bootstrap == null || bootstrap.isBlank()) throw new IllegalArgumentException("bootstrap: required (host:port of a Kafka broker)");
        PipelineSettings s = new PipelineSettings(bootstrap,
                c.getString("group", Topics.GROUP),
                c.getString("frames-topic", Topics.FRAMES),
                c.getString("results-topic", Topics.RESULTS),
                c.getString("dlq-topic", Topics.DEAD_LETTERS),
                positive(c, "batch-size", 4),
                positive(c, "batch-ms", 50),
                positive(c, "max-in-flight", 64),
                c.getLong("max-lag-ms", 0L),
                positive(c, "workers", 1),
                // A frame is one record: by default it cannot be larger than the broker's record limit anyway.
                positive(c, "max-frame-bytes", KAFKA_DEFAULT_RECORD_BYTES),
                positive(c, "max-pixels", 4096L * 4096),
                c.getBoolean("exactly-once", false),
                c.getString("instance-id", "resdet-" + ProcessHandle.current().pid()),
                c.getString("instance-id") != null,
                flat(c.getJsonObject("kafka", new JsonObject())),
                TrackingSettings.from(c));
        return s;
    }

    /** The largest record the producer sends ({@code kafka.max.request.size}, else Kafka's default). */
    public int maxRecordBytes() {
        Object v = kafka.get("max.request.size");
        if (v == null) return KAFKA_DEFAULT_RECORD_BYTES;
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kafka.max.request.size: not a number: '" + v + "'");
        }
    }

    private static int positive(JsonObject c, String key, int dflt) {
        return (int) positive(c, key, (long) dflt);
    }

    private static long positive(JsonObject c, String key, long dflt) {
        Object v = c.getValue(key);
        if (v == null) return dflt;
        long n;
        try {
            n = v instanceof Number num ? num.longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a number: '" + v + "'");
        }
        if (n <= 0) throw new IllegalArgumentException(key + ": must be > 0, got " + n);
        return n;
    }

    /** Kafka client properties may arrive nested ({@code kafka: {security: {protocol: SSL}}}) or dotted. */
    static Map<String, Object> flat(JsonObject o) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", o, out);
        return out;
    }

    private static void flatten(String prefix, JsonObject o, Map<String, Object> out) {
        for (String k : o.fieldNames()) {
            Object v = o.getValue(k);
            if (v instanceof JsonObject j) flatten(prefix + k + ".", j, out);
            else out.put(prefix + k, String.valueOf(v));
        }
    }
}
