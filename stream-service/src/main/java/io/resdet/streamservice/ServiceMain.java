package io.resdet.streamservice;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -cp ... io.resdet.streamservice.ServiceMain CONFIG.json}: the service in its own process with a complete
 * JSON config (no layering), for process-level tests (SIGKILL and restart) and minimal containers. Prints
 * {@code ready http://host:port/} once serving; runs until killed.
 */
public final class ServiceMain {
    private ServiceMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ServiceMain CONFIG.json");
            System.exit(2);
        }
        StreamService svc;
        try {
            svc = StreamService.start(new JsonObject(Files.readString(Path.of(args[0]))));
        } catch (IllegalArgumentException | java.io.IOException | io.vertx.core.json.DecodeException e) {
            // A bad config or a refused setting (an open bind without a token) is one line, not a stack trace.
            System.err.println("resdet: " + args[0] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                svc.close();
            } catch (Exception e) {
                System.err.println("stopping: " + e.getMessage());
            }
        }));
        System.out.println("ready http://127.0.0.1:" + svc.httpPort() + "/");
        System.out.flush();
        Thread.currentThread().join();
    }
}
