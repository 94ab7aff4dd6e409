package io.resdet.streamservice;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker in this JVM (broker and controller in one process), listening on 127.0.0.1 only.
 * Storage is formatted on first start and reused afterwards, so a restart on the same directory keeps topics,
 * records and committed offsets.
 */
public final class EmbeddedBroker implements AutoCloseable {
    static {
        // The broker logs through the log4j2 API; without a log4j2 back-end it would complain on stderr at start-up.
        if (System.getProperty("log4j2.loggerContextFactory") == null) {
            System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        }
    }

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedBroker(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker on {@code port} (0: a free one) with its data in {@code dir}; blocks until it serves requests. */
    public static EmbeddedBroker start(Path dir, int port) {
        EmbeddedBroker b = new EmbeddedBroker(dir, port == 0 ? freePort() : port, freePort());
        b.startServer();
        return b;
    }

    /** Starts again on the same ports and data (after {@link #close}): the broker-restart case. */
    public void restart() {
        startServer();
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    private Properties props() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("num.partitions", "3");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("log.flush.interval.messages", "1000");
        // Small segments and few threads: this broker shares a laptop with the model.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        return p;
    }

    private void startServer() {
        try {
            Files.createDirectories(dir);
            Properties p = props();
            Path logs = dir.resolve("logs");
            if (!Files.exists(logs.resolve("meta.properties"))) {
                Path cfg = dir.resolve("server.properties");
                try (var w = Files.newBufferedWriter(cfg)) {
                    p.store(w, "resdet embedded broker");
                }
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", cfg.toString()}, new PrintStream(buf, true, StandardCharsets.UTF_8));
                if (rc != 0) throw new IllegalStateException("formatting " + logs + " failed: " + buf.toString(StandardCharsets.UTF_8).strip());
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
            server.startup();
            awaitReady(Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("broker on " + bootstrap() + " not ready: " + e);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the broker");
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
