package io.resdet.streamservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium driven over the DevTools protocol. The command-line {@code --screenshot}/{@code --dump-dom}
 * modes cannot see a live page: they capture at the load event, before any server-sent event, and with
 * {@code --virtual-time-budget} virtual time never advances while the event stream is open (measured: both hang).
 * Over the protocol the test waits for what the page itself shows, then captures.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static Path executable() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) return Path.of(c);
        }
        throw new IllegalStateException("no chromium: bin/test installs Debian's 'chromium' (apt-get install chromium)");
    }

    /** Starts the browser on a blank page with a fresh profile; the window size is the screenshot size. */
    static HeadlessChromium start(Path scratch, int width, int height, Duration timeout) throws Exception {
        Path profile = Files.createTempDirectory(Files.createDirectories(scratch), "chromium-profile-");
        List<String> cmd = new ArrayList<>(List.of(executable().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--force-device-scale-factor=1", "about:blank"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            // Chromium writes the port it chose to DevToolsActivePort once the protocol listens.
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + timeout.toNanos();
            String port = null;
            while (port == null) {
                if (!p.isAlive()) throw new IllegalStateException("chromium exited with " + p.exitValue() + ": " + log(profile));
                if (System.nanoTime() > deadline) throw new IllegalStateException("chromium did not open its DevTools port within " + timeout + ": " + log(profile));
                if (Files.exists(portFile)) {
                    List<String> lines = Files.readAllLines(portFile);
                    if (!lines.isEmpty() && !lines.get(0).isBlank()) port = lines.get(0).strip();
                }
                if (port == null) Thread.sleep(100);
            }
            String wsUrl = null;
            while (wsUrl == null) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                for (JsonNode t : JSON.readTree(r.body())) {
                    if ("page".equals(t.path("type").asText())) wsUrl = t.path("webSocketDebuggerUrl").asText();
                }
                if (wsUrl == null) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("chromium shows no page target: " + r.body());
                    Thread.sleep(100);
                }
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            StringBuilder partial = new StringBuilder();
            WebSocket ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(wsUrl), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        String msg = partial.toString();
                        partial.setLength(0);
                        self[0].dispatch(msg);
                    }
                    w.request(1);
                    return null;
                }
            }).get(timeout.toSeconds(), TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, profile, ws);
            self[0].call("Page.enable", JSON.createObjectNode(), timeout);
            return self[0];
        } catch (Exception | Error e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
    }

    private static String log(Path profile) {
        try {
            String s = Files.readString(profile.resolve("chromium.log"));
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void dispatch(String msg) {
        try {
            JsonNode n = JSON.readTree(msg);
            if (n.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
                if (f != null) f.complete(n);
            }
        } catch (IOException e) {
            // events we do not use; replies are always JSON
        }
    }

    /** One DevTools command; returns its {@code result}, or fails with the protocol's error. */
    JsonNode call(String method, ObjectNode params, Duration timeout) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(msg.toString(), true).get(timeout.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = f.get(timeout.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) throw new IllegalStateException(method + ": " + reply.get("error"));
        return reply.get("result");
    }

    void navigate(String url, Duration timeout) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url), timeout);
    }

    /** Evaluates a JavaScript expression in the page and returns its value (JSON-serialisable values only). */
    JsonNode eval(String expression, Duration timeout) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true), timeout);
        if (r.has("exceptionDetails")) throw new IllegalStateException("page script failed: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Polls {@code condition} (a JavaScript expression) until it is true; fails after {@code timeout}. */
    void waitFor(String condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = "";
        while (true) {
            try {
                if (eval("Boolean(" + condition + ")", Duration.ofSeconds(30)).asBoolean()) return;
            } catch (IllegalStateException e) {
                lastError = " (last: " + e.getMessage() + ")"; // e.g. the document is still loading
            }
            if (System.nanoTime() > deadline) throw new AssertionError("the page never showed " + what + " within " + timeout + lastError);
            Thread.sleep(200);
        }
    }

    /** The visible viewport as PNG bytes. */
    byte[] screenshot(Duration timeout) throws Exception {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"), timeout);
        return Base64.getDecoder().decode(r.get("data").asText());
    }

    @Override
    public void close() {
        try {
            call("Browser.close", JSON.createObjectNode(), Duration.ofSeconds(5));
        } catch (Exception e) {
            // the process is ended below either way
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.abort();
        try (var s = Files.walk(profile)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        } catch (IOException e) {
            // a profile folder left in target/ is harmless
        }
    }
}
