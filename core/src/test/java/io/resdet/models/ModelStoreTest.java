package io.resdet.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Downloads against a real HTTP server on 127.0.0.1 (nothing else is contacted): verified and cached, a wrong hash
 * refused and deleted, a cut transfer resumed with Range, 404 and an unreachable host as one line, a cache hit
 * without a request, the mirror in place of torchvision's host.
 */
class ModelStoreTest {
    @TempDir Path dir;
    HttpServer server;
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Paths whose first response stops after this many bytes (the connection is then closed). */
    final Map<String, Integer> cutOnce = new ConcurrentHashMap<>();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/models/";
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(path + (range == null ? "" : " " + range));
        byte[] body = files.get(path.substring("/models/".length()));
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        int from = 0;
        if (range != null) {
            from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        }
        ex.sendResponseHeaders(range == null ? 200 : 206, body.length - from);
        try (OutputStream out = ex.getResponseBody()) {
            Integer cut = cutOnce.remove(path);
            out.write(body, from, cut == null ? body.length - from : cut);
            if (cut != null) {
                out.flush();
                throw new IOException("cut"); // the server drops the connection mid-body

            }
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A file name carrying the first 8 hex digits of the content's SHA-256, as torchvision names its files. */
    String publish(String stem, byte[] content) throws IOException {
        Path tmp = Files.write(dir.resolve("tmp-" + stem), content);
        String name = stem + "-" + ModelStore.sha256(tmp).substring(0, 8) + ".pth";
        files.put(name, content);
        return name;
    }

    ModelStore store() {
        return new ModelStore(dir.resolve("cache"), null, false);
    }

    @Test
    void goodHashIsCachedAndUsedWithoutAnotherRequest() throws IOException {
        byte[] w = random(300_000, 1);
        String name = publish("tiny", w);
        Path got = store().fetch(base() + name);
        assertEquals(dir.resolve("cache").resolve(name), got);
        assertArrayEquals(w, Files.readAllBytes(got));
        assertFalse(Files.exists(dir.resolve("cache").resolve(name + ".part")));
        assertEquals(List.of("/models/" + name), requests);
        assertEquals(got, store().fetch(base() + name));
        assertEquals(1, requests.size(), "a cache hit makes no request");
    }

    @Test
    void wrongHashIsRefusedAndNothingIsLeft() throws IOException {
        files.put("tiny-0badc0de.pth", random(1000, 2));
        IOException e = assertThrows(IOException.class, () -> store().fetch(base() + "tiny-0badc0de.pth"));
        assertTrue(e.getMessage().startsWith(base() + "tiny-0badc0de.pth: SHA-256 "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" does not start with 0badc0de (the hash in its file name); the download was deleted"),
                e.getMessage());
        try (var l = Files.list(dir.resolve("cache"))) {
            assertEquals(0, l.count(), "nothing left in the cache");
        }
    }

    @Test
    void aCutTransferIsResumedWithRange() throws IOException {
        byte[] w = random(500_000, 3);
        String name = publish("big", w);
        cutOnce.put("/models/" + name, 200_000);
        Path got = store().fetch(base() + name);
        assertArrayEquals(w, Files.readAllBytes(got));
        assertEquals(2, requests.size(), requests.toString());
        assertTrue(requests.get(1).matches("/models/" + name + " bytes=\\d+-"), requests.toString());
    }

    @Test
    void aPartFileLeftByAnEarlierRunIsResumed() throws IOException {
        byte[] w = random(400_000, 4);
        String name = publish("half", w);
        Files.createDirectories(dir.resolve("cache"));
        Files.write(dir.resolve("cache").resolve(name + ".part"), java.util.Arrays.copyOf(w, 123_456));
        assertArrayEquals(w, Files.readAllBytes(store().fetch(base() + name)));
        assertEquals(List.of("/models/" + name + " bytes=123456-"), requests);
    }

    @Test
    void notFoundAndUnreachableAreOneLineNamingTheCachePath() throws IOException {
        IOException e = assertThrows(IOException.class, () -> store().fetch(base() + "none-12345678.pth"));
        assertEquals(base() + "none-12345678.pth: HTTP 404; offline, put the file at " + dir.resolve("cache/none-12345678.pth"),
                e.getMessage());
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        IOException u = assertThrows(IOException.class, () -> store().fetch("http://127.0.0.1:" + closed + "/x-12345678.pth"));
        assertTrue(u.getMessage().startsWith("http://127.0.0.1:" + closed + "/x-12345678.pth: cannot download ("), u.getMessage());
        assertTrue(u.getMessage().endsWith("); offline, put the file at " + dir.resolve("cache/x-12345678.pth")), u.getMessage());
        assertFalse(u.getMessage().contains("\n"));
    }

    @Test
    void theMirrorReplacesTorchvisionsHost() throws IOException {
        byte[] w = random(1000, 5);
        String name = publish("resnet18", w);
        ModelEntry e = new ModelEntry("resnet18.test", "classification", "resnet18", ModelRegistry.TV + name, null, 0, 0, 1000,
                "imagenet", 256, Map.of());
        ModelStore mirrored = new ModelStore(dir.resolve("cache"), base(), false);
        assertFalse(mirrored.isCached(e));
        assertArrayEquals(w, Files.readAllBytes(mirrored.file(e)));
        assertTrue(mirrored.isCached(e));
        assertEquals(List.of("/models/" + name), requests);
    }
}
