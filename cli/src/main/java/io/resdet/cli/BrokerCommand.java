package io.resdet.cli;

import io.resdet.streamservice.EmbeddedBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code resdet broker}: a single-node Kafka (KRaft) broker in the foreground, for trying the service locally. */
@Command(name = "broker",
        footer = {"", "Example:", "  resdet broker --port 9092"}, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a single-node Kafka broker (KRaft, broker+controller) on 127.0.0.1 until Ctrl-C.",
                "Data stays in DIR: restarting on the same DIR keeps topics, records and committed offsets."})
public final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "P", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "resdet-kafka", description = "Data folder (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds (default: run until Ctrl-C).")
    Double duration;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new UserError(dir + ": exists and is not a folder");
        if (port < 1 || port > 65535) throw new UserError("--port: must be 1..65535, got " + port);
        EmbeddedBroker b;
        try {
            b = EmbeddedBroker.start(dir, port);
        } catch (RuntimeException e) {
            throw new UserError("broker on port " + port + " with data in " + dir + " did not start: " + e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            b.close();
            stop.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("resdet broker: listening on " + b.bootstrap() + " (data in " + dir.toAbsolutePath() + "); Ctrl-C stops");
        System.out.println(b.bootstrap());
        System.out.flush();
        if (duration != null) {
            if (!stop.await((long) (duration * 1000), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                Runtime.getRuntime().removeShutdownHook(hook);
                b.close();
            }
        } else {
            stop.await();
        }
        return 0;
    }
}
