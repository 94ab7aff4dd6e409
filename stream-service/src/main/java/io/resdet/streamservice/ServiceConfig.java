package io.resdet.streamservice;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The service's configuration, merged from (lowest to highest precedence) built-in defaults, a YAML/JSON file,
 * {@code RESDET_*} environment variables and command-line flags.
 *
 * <p>Keys: {@link #KEYS} at the top level, {@code model.*} ({@link Models#fromConfig}) and {@code kafka.*} (any Kafka
 * client property, passed through verbatim: TLS, SASL, timeouts). Environment names: {@code RESDET_BATCH_SIZE} is
 * {@code batch-size}, {@code RESDET_MODEL_WEIGHTS} is {@code model.weights}, {@code RESDET_KAFKA_SECURITY_PROTOCOL}
 * is {@code kafka.security.protocol} (underscores become dots under {@code kafka}). Unknown file keys are errors;
 * unknown {@code RESDET_*} variables are ignored (the launcher has its own).
 */
public final class ServiceConfig {
    private ServiceConfig() {}

    /** Top-level keys and their types: 's' string, 'i' integer, 'b' boolean. */
    public static final Map<String, Character> KEYS = ordered(
            "bootstrap", 's', "group", 's', "frames-topic", 's', "results-topic", 's', "dlq-topic", 's',
            "batch-size", 'i', "batch-ms", 'i', "max-in-flight", 'i', "max-lag-ms", 'i', "workers", 'i',
            "max-frame-bytes", 'i', "max-pixels", 'i', "exactly-once", 'b', "instance-id", 's',
            "http-port", 'i', "http-host", 's', "max-body-bytes", 'i', "live-interval-ms", 'i',
            // HTTP hardening (HttpSettings): access token, timeouts and caps
            "http-token", 's', "http-insecure", 'b', "http-idle-timeout-s", 'i', "http-request-timeout-s", 'i',
            "http-max-connections", 'i', "http-max-concurrent-detects", 'i',
            // Tracking and analytics (TrackingSettings)
            "track", 'b', "track-thresh", 'f', "track-buffer", 'i', "match-thresh", 'f', "class-aware", 'b',
            "tracks-topic", 's', "events-topic", 's', "zones", 's');
    public static final Map<String, Character> MODEL_KEYS = ordered(
            "arch", 's', "weights", 's', "num-classes", 'i', "labels", 's', "min-size", 'i', "max-size", 'i',
            "representation-size", 'i', "rpn-proposals", 'i', "score-threshold", 'f', "nms-iou", 'f', "max-detections", 'i', "classes", 's', "device", 's', "half", 'b', "name", 's');

    private static Map<String, Character> ordered(Object... kv) {
        Map<String, Character> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Character) kv[i + 1]);
        return m;
    }

    public static JsonObject defaults() {
        return new JsonObject().put("group", Topics.GROUP).put("frames-topic", Topics.FRAMES)
                .put("results-topic", Topics.RESULTS).put("dlq-topic", Topics.DEAD_LETTERS)
                .put("batch-size", 4).put("batch-ms", 50).put("max-in-flight", 64).put("max-lag-ms", 0)
                .put("workers", 1).put("exactly-once", false).put("http-port", 8080).put("http-host", "127.0.0.1")
                .put("model", new JsonObject()).put("kafka", new JsonObject()); // model: the bundled one unless configured
    }

    /**
     * Merges the layers. {@code flags}: dotted keys ({@code batch-size}, {@code model.weights},
     * {@code kafka.security.protocol}) of the flags the user actually gave.
     */
    public static JsonObject load(Path file, Map<String, String> env, Map<String, ?> flags) throws IOException {
        JsonObject c = defaults();
        if (file != null) merge(c, readFile(file), file.toString());
        for (Map.Entry<String, String> e : env.entrySet()) {
            String key = envKey(e.getKey());
            if (key != null) set(c, key, e.getValue(), "environment " + e.getKey());
        }
        for (Map.Entry<String, ?> e : flags.entrySet()) {
            if (e.getValue() != null) set(c, e.getKey(), e.getValue(), "flag for " + e.getKey());
        }
        return c;
    }

    static JsonObject readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such config file");
        ObjectMapper m = file.toString().endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        Object tree;
        try {
            tree = m.readValue(file.toFile(), Object.class);
        } catch (IOException e) {
            throw new IOException(file + ": not valid " + (file.toString().endsWith(".json") ? "JSON" : "YAML") + " ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (tree == null) return new JsonObject();
        if (!(tree instanceof Map<?, ?> map)) throw new IOException(file + ": top level must be a mapping of keys");
        @SuppressWarnings("unchecked") JsonObject j = new JsonObject((Map<String, Object>) map);
        return j;
    }

    private static void merge(JsonObject c, JsonObject file, String where) throws IOException {
        for (String k : file.fieldNames()) {
            Object v = file.getValue(k);
            if (k.equals("model") || k.equals("kafka")) {
                if (!(v instanceof JsonObject sub)) throw new IOException(where + ": '" + k + "' must be a mapping");
                for (String sk : sub.fieldNames()) {
                    Object sv = sub.getValue(sk);
                    if (k.equals("kafka")) {
                        for (Map.Entry<String, Object> f : PipelineSettings.flat(new JsonObject().put(sk, sv)).entrySet()) {
                            set(c, "kafka." + f.getKey(), f.getValue(), where);
                        }
                    } else {
                        set(c, "model." + sk, sv, where);
                    }
                }
            } else {
                set(c, k, v, where);
            }
        }
    }

    /** {@code RESDET_MODEL_MIN_SIZE} → {@code model.min-size}; null for variables that are not settings. */
    static String envKey(String name) {
        if (!name.startsWith("RESDET_")) return null;
        String rest = name.substring(7).toLowerCase(Locale.ROOT);
        if (rest.startsWith("kafka_")) return "kafka." + rest.substring(6).replace('_', '.');
        if (rest.startsWith("model_")) {
            String k = rest.substring(6).replace('_', '-');
            return MODEL_KEYS.containsKey(k) ? "model." + k : null;
        }
        String k = rest.replace('_', '-');
        return KEYS.containsKey(k) ? k : null;
    }

    private static void set(JsonObject c, String key, Object value, String where) throws IOException {
        if (key.startsWith("kafka.")) {
            c.getJsonObject("kafka").put(key.substring(6), String.valueOf(value));
            return;
        }
        Map<String, Character> table = key.startsWith("model.") ? MODEL_KEYS : KEYS;
        String k = key.startsWith("model.") ? key.substring(6) : key;
        Character type = table.get(k);
        if (type == null) throw new IOException(where + ": unknown setting '" + key + "' (known: " + KEYS.keySet() + ", model." + MODEL_KEYS.keySet() + ", kafka.*)");
        Object v = coerce(value, type, key, where);
        (key.startsWith("model.") ? c.getJsonObject("model") : c).put(k, v);
    }

    private static Object coerce(Object v, char type, String key, String where) throws IOException {
        String s = String.valueOf(v).trim();
        try {
            return switch (type) {
                case 'i' -> v instanceof Number n ? n.longValue() : Long.parseLong(s);
                case 'f' -> v instanceof Number n ? n.doubleValue() : Double.parseDouble(s);
                case 'b' -> {
                    if (v instanceof Boolean b) yield b;
                    if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) throw new NumberFormatException();
                    yield Boolean.parseBoolean(s);
                }
                default -> s;
            };
        } catch (NumberFormatException e) {
            String want = type == 'b' ? "true or false" : type == 'i' ? "an integer" : "a number";
            throw new IOException(where + ": '" + key + "' must be " + want + ", got '" + s + "'");
        }
    }
}
