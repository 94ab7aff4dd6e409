package io.resdet.streamservice;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** defaults < file < RESDET_* environment < flags; Kafka properties pass through; bad values are named. */
class ServiceConfigTest {
    @TempDir Path dir;

    @Test
    void layersInOrderOfPrecedence() throws IOException {
        Path f = dir.resolve("resdet.yaml");
        Files.writeString(f, """
                bootstrap: file:9092
                batch-size: 8
                workers: 3
                exactly-once: true
                model:
                  weights: /models/a.safetensors
                  min-size: 320
                kafka:
                  security.protocol: SASL_SSL
                  sasl:
                    mechanism: PLAIN
                """);
        Map<String, String> env = Map.of("RESDET_BATCH_SIZE", "16", "RESDET_MODEL_MIN_SIZE", "400",
                "RESDET_KAFKA_SSL_TRUSTSTORE_LOCATION", "/tls/ts.jks", "RESDET_HOME", "/ignored", "PATH", "/bin");
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("batch-size", 2);
        flags.put("workers", null); // a flag the user did not give
        flags.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        JsonObject c = ServiceConfig.load(f, env, flags);
        assertEquals("file:9092", c.getString("bootstrap"));
        assertEquals(2L, c.getLong("batch-size"), "flag beats env beats file");
        assertEquals(3L, c.getLong("workers"), "file beats default");
        assertEquals(true, c.getBoolean("exactly-once"));
        assertEquals(50L, c.getLong("batch-ms"), "default");
        assertEquals(400L, c.getJsonObject("model").getLong("min-size"));
        assertEquals("/models/a.safetensors", c.getJsonObject("model").getString("weights"));
        JsonObject k = c.getJsonObject("kafka");
        assertEquals("SASL_SSL", k.getString("security.protocol"));
        assertEquals("SCRAM-SHA-512", k.getString("sasl.mechanism"));
        assertEquals("/tls/ts.jks", k.getString("ssl.truststore.location"));
        PipelineSettings s = PipelineSettings.from(c);
        assertEquals(2, s.batchSize());
        assertEquals("SASL_SSL", s.kafka().get("security.protocol"));
        assertEquals(false, s.staticMembership(), "a generated instance id is not stable: no static membership");
        assertEquals(1 << 20, s.maxFrameBytes(), "a frame is one record: Kafka's 1 MiB by default");
        assertEquals(1 << 20, s.maxRecordBytes());
    }

    @Test
    void aConfiguredInstanceIdIsStaticMembership() throws IOException {
        JsonObject c = ServiceConfig.load(null, Map.of("RESDET_INSTANCE_ID", "replica-3"),
                Map.of("bootstrap", "h:1", "kafka.max.request.size", "2097152"));
        PipelineSettings s = PipelineSettings.from(c);
        assertEquals("replica-3", s.instanceId());
        assertEquals(true, s.staticMembership());
        assertEquals(2 << 20, s.maxRecordBytes(), "dead letters are sized against the producer's own limit");
    }

    @Test
    void badInputIsNamed() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "batch-sise: 3\n");
        assertEquals(f + ": unknown setting 'batch-sise' (known: " + ServiceConfig.KEYS.keySet() + ", model." + ServiceConfig.MODEL_KEYS.keySet() + ", kafka.*)",
                assertThrows(IOException.class, () -> ServiceConfig.load(f, Map.of(), Map.of())).getMessage());
        assertEquals("environment RESDET_WORKERS: 'workers' must be an integer, got 'many'",
                assertThrows(IOException.class, () -> ServiceConfig.load(null, Map.of("RESDET_WORKERS", "many"), Map.of())).getMessage());
        Files.writeString(f, "batch-size: [1\n");
        assertEquals(f + ": not valid YAML", assertThrows(IOException.class, () -> ServiceConfig.load(f, Map.of(), Map.of()))
                .getMessage().replaceAll(" \\(.*", ""));
        assertEquals(dir.resolve("none.json") + ": no such config file",
                assertThrows(IOException.class, () -> ServiceConfig.load(dir.resolve("none.json"), Map.of(), Map.of())).getMessage());
        JsonObject c = ServiceConfig.load(null, Map.of(), Map.of("bootstrap", "h:1", "batch-size", 0));
        assertEquals("batch-size: must be > 0, got 0", assertThrows(IllegalArgumentException.class, () -> PipelineSettings.from(c)).getMessage());
    }
}
