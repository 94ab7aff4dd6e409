package io.resdet.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options every Kafka-facing command shares (produce, consume, serve, eval run --via-kafka): where the broker is,
 * and client properties (TLS, SASL) passed through. Unset {@code --bootstrap} is null so serve's config still applies.
 */
final class KafkaOptions {
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: " + DEFAULT_BOOTSTRAP + "; serve: from --config or $RESDET_BOOTSTRAP, else required).")
    String bootstrap;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Kafka client property, e.g. security.protocol=SASL_SSL (repeatable; default: none).")
    Map<String, String> kafka = new LinkedHashMap<>();

    String bootstrap() {
        return bootstrap != null ? bootstrap : DEFAULT_BOOTSTRAP;
    }

    Map<String, String> properties() {
        return kafka == null ? Map.of() : kafka;
    }
}
