package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --model NAME}, {@code --weights URL} and {@code resdet models} against a model server on 127.0.0.1: a registry
 * entry (RESDET_MODEL_REGISTRY) publishes the bundled shapes model under a hashed name; detecting with it gives
 * exactly the bundled model's output, downloads once, and later runs use the cache.
 */
class ModelsCommandTest {
    @TempDir static Path dir;
    static HttpServer server;
    static final List<String> requests = new CopyOnWriteArrayList<>();
    static String fileName;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void up() throws Exception {
        byte[] weights;
        try (InputStream in = ModelsCommandTest.class.getClassLoader()
                .getResourceAsStream("io/resdet/detector/models/shapes-resnet18-fpn.safetensors")) {
            weights = in.readAllBytes();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights));
        fileName = "shapes-" + sha.substring(0, 8) + ".safetensors";
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/models/", ex -> {
            requests.add(ex.getRequestURI().getPath());
            if (!ex.getRequestURI().getPath().equals("/models/" + fileName)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, weights.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(weights);
            }
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/models/";
        Path registry = Files.writeString(dir.resolve("registry.json"), "[{\"name\":\"test.shapes_v1\",\"task\":\"detection\","
                + "\"arch\":\"fasterrcnn_resnet18_fpn\",\"url\":\"" + base + fileName + "\",\"numClasses\":4,"
                + "\"labels\":\"background,circle,rectangle,triangle\",\"metrics\":{\"box_map\":75.5}}]");
        System.setProperty("RESDET_HOME", dir.resolve("home").toString());
        System.setProperty("RESDET_MODEL_REGISTRY", registry.toString());
        System.setProperty("RESDET_MODEL_MIRROR", base);
        CliRun r = CliRun.of("data", "synth", "--out", dir.resolve("shapes").toString(), "--images", "1", "--val", "1", "--seed", "3");
        assertEquals(0, r.code(), r.err());
    }

    @AfterAll
    static void down() {
        server.stop(0);
        System.clearProperty("RESDET_HOME");
        System.clearProperty("RESDET_MODEL_REGISTRY");
        System.clearProperty("RESDET_MODEL_MIRROR");
    }

    static long shapesRequests() {
        return requests.stream().filter(r -> r.equals("/models/" + fileName)).count();
    }

    static Path image() throws Exception {
        try (var s = Files.walk(dir.resolve("shapes"))) {
            return s.filter(p -> p.toString().endsWith(".png") || p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void aNamedModelIsDownloadedOnceVerifiedAndGivesTheSameDetections() throws Exception {
        Path img = image();
        CliRun bundled = CliRun.of("detect", img.toString());
        assertEquals(0, bundled.code(), bundled.err());

        JsonNode before = JSON.readTree(CliRun.of("models", "--json").out());
        JsonNode entry = null;
        for (JsonNode e : before) if (e.get("name").asText().equals("test.shapes_v1")) entry = e;
        assertEquals(false, entry.get("cached").asBoolean());
        assertEquals("fasterrcnn_resnet50_fpn.coco_v1", before.get(0).get("name").asText());

        CliRun named = CliRun.of("detect", "--model", "test.shapes_v1", img.toString());
        assertEquals(0, named.code(), named.err());
        assertEquals(bundled.out(), named.out(), "the same weights give the same detections");
        assertEquals(1, shapesRequests(), "downloaded once");
        assertTrue(Files.isRegularFile(dir.resolve("home/models/" + fileName)));

        CliRun again = CliRun.of("detect", "--model", "test.shapes_v1", img.toString());
        assertEquals(bundled.out(), again.out());
        assertEquals(1, shapesRequests(), "the cache serves later runs");

        CliRun table = CliRun.of("models");
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("test.shapes_v1") && l.endsWith("yes")), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("resdet-shapes") && l.endsWith("bundled")), table.out());
    }

    @Test
    void badNamesAndTasksAndMissingFilesAreOneLine() throws Exception {
        Path img = image();
        CliRun unknown = CliRun.of("detect", "--model", "resnet50", img.toString());
        assertEquals(2, unknown.code());
        assertEquals("resdet detect: --model: unknown model 'resnet50'; did you mean resnet50.imagenet1k_v1, resnet50.imagenet1k_v2?",
                unknown.lastErrLine());
        CliRun task = CliRun.of("detect", "--model", "resnet50.imagenet1k_v2", img.toString());
        assertEquals(2, task.code());
        assertEquals("resdet detect: --model resnet50.imagenet1k_v2 is a classification model; this command needs a detection model",
                task.lastErrLine());
        CliRun both = CliRun.of("detect", "--model", "test.shapes_v1", "--weights", "x.pth", img.toString());
        assertEquals("resdet detect: --model and --weights: give one of them", both.lastErrLine());
        // The mirror has no torchvision files: a 404 names the URL and where to drop the file.
        CliRun missing = CliRun.of("models", "fetch", "resnet18.imagenet1k_v1");
        assertEquals(1, missing.code());
        String base = System.getProperty("RESDET_MODEL_MIRROR");
        assertEquals("resdet models fetch: " + base + "resnet18-f37072fd.pth: HTTP 404; offline, put the file at "
                + dir.resolve("home/models/resnet18-f37072fd.pth"), missing.lastErrLine());
    }

    @Test
    void weightsByUrlAreFetchedTheSameWay() throws Exception {
        Path img = image();
        String url = System.getProperty("RESDET_MODEL_MIRROR") + fileName;
        String home = System.getProperty("RESDET_HOME");
        System.setProperty("RESDET_HOME", dir.resolve("home-url").toString()); // its own cache: test order does not matter
        try {
            CliRun r = CliRun.of("detect", "--weights", url, img.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(CliRun.of("detect", img.toString()).out(), r.out());
            assertTrue(Files.isRegularFile(dir.resolve("home-url/models/" + fileName)));
        } finally {
            System.setProperty("RESDET_HOME", home);
        }
    }
}
