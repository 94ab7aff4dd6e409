package io.resdet.streamservice;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the broker-backed tests get their Kafka: a Testcontainers container when a Docker engine answers and holds
 * the Kafka image, the in-process KRaft broker otherwise. The tests are the same either way and never skipped; the
 * choice is logged. {@code -Dresdet.test.broker=in-process|container} forces one ({@code container} fails without
 * Docker, and pulls the image if it must); {@code -Dresdet.test.kafka-image=...} picks the image (the POM: the
 * clients' Kafka release, {@code apache/kafka-native}; bin/test: bin/docker-local's {@code resdet-local/kafka}, and
 * both modes, one after the other). Automatic choice never pulls: where no registry answers, a pull retries for
 * minutes before failing.
 */
final class TestBrokers {
    private static final Logger LOG = LoggerFactory.getLogger(TestBrokers.class);
    private static Boolean docker;

    private TestBrokers() {}

    static TestBroker start() throws Exception {
        String mode = System.getProperty("resdet.test.broker", "auto");
        String image = System.getProperty("resdet.test.kafka-image", "apache/kafka-native:4.1.0");
        boolean container = switch (mode) {
            case "container" -> true;
            case "in-process" -> false;
            case "auto" -> dockerAvailable() && imagePresent(image);
            default -> throw new IllegalArgumentException("resdet.test.broker: 'auto', 'container' or 'in-process', got '" + mode + "'");
        };
        TestBroker b = container ? new ContainerBroker(image) : new InProcess();
        String why = !mode.equals("auto") ? " (-Dresdet.test.broker=" + mode + ")"
                : container ? " (Docker is available)"
                : dockerAvailable() ? " (Docker answers but has no " + image + "; -Dresdet.test.broker=container pulls it)"
                : " (no Docker engine)";
        LOG.info("test broker: {} on {}{}", b.description(), b.bootstrap(), why);
        return b;
    }

    private static boolean imagePresent(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException e) { // NotFoundException, or an engine that stopped answering
            return false;
        }
    }

    /** Asked once per JVM: without an engine Testcontainers takes about a second to say so. */
    static synchronized boolean dockerAvailable() {
        if (docker == null) {
            try {
                docker = DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable e) {
                docker = false;
            }
        }
        return docker;
    }

    /** The in-process broker ({@link EmbeddedBroker}) on free ports in a temp dir, deleted at close. */
    static final class InProcess implements TestBroker {
        final EmbeddedBroker broker;
        final Path dir;

        InProcess() throws Exception {
            dir = Files.createTempDirectory("resdet-kafka-");
            broker = EmbeddedBroker.start(dir, 0);
        }

        @Override
        public String bootstrap() {
            return broker.bootstrap();
        }

        @Override
        public String description() {
            return "in-process KRaft broker (EmbeddedBroker, data in " + dir + ")";
        }

        @Override
        public void stop() {
            broker.close();
        }

        @Override
        public void restart() {
            broker.restart();
        }

        @Override
        public void close() throws Exception {
            broker.close();
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
