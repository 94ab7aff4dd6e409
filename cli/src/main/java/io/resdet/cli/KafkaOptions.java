package io.resdet.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options every Kafka-facing command shares: where the broker is, and client properties (TLS, SASL) passed through. */
final class KafkaOptions {
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1:9092")
    String bootstrap;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Kafka client property, e.g. security.protocol=SASL_SSL (repeatable).")
    Map<String, String> kafka = new LinkedHashMap<>();

    Map<String, String> properties() {
        return kafka == null ? Map.of() : kafka;
    }
}
