package io.resdet.cli;

import io.resdet.nn.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which libtorch the engine loads ({@code RESDET_GPU}, {@code PYTORCH_LIBRARY_PATH}), each case in a fresh JVM since
 * the engine starts once per process. Nothing is downloaded: the fetch is tested up to its first request, which a
 * proxy on 127.0.0.1 receives and refuses; the "cache present" case uses a DJL cache folder whose libtorch is the CPU
 * one, so DJL's cu128 JNI is chosen and fails to find libtorch's CUDA part, which shows the CUDA path was taken.
 */
class GpuSetupTest {
    @TempDir Path dir;

    private record Run(int code, String out, String err) {
        String lastErrLine() {
            List<String> l = err.strip().lines().filter(x -> !x.contains("AutoNonVariableTypeMode")).toList();
            return l.isEmpty() ? "" : l.get(l.size() - 1);
        }
    }

    private Run resdet(Map<String, String> env, List<String> jvm, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(jvm);
        cmd.add("io.resdet.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        for (String k : List.of("RESDET_GPU", "PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_VERSION", "DJL_OFFLINE", "DJL_CACHE_DIR", "RESDET_DEVICE")) {
            pb.environment().remove(k);
        }
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("resdet " + List.of(args) + " ran past 180 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A small PNG to detect on: the engine error must come from the engine, not from a missing input. */
    private String image() throws IOException {
        Path file = dir.resolve("one.png");
        if (!Files.exists(file)) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(48, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
            javax.imageio.ImageIO.write(img, "png", file.toFile());
        }
        return file.toString();
    }

    private static String cpuLibtorch() {
        Engines.pytorch();
        return ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
    }

    @Test
    void missingCudaLibtorchWithFetchingForbiddenIsOneLine() throws Exception {
        Path cache = dir.resolve("djl");
        Run r = resdet(Map.of("RESDET_GPU", "cu128", "DJL_OFFLINE", "true", "DJL_CACHE_DIR", cache.toString()), List.of(), "doctor");
        assertEquals(1, r.code(), r.err());
        Path folder = cache.resolve("pytorch").resolve("2.7.1-cu128-linux-x86_64");
        String problem = "RESDET_GPU=cu128: the CUDA 12.8 libtorch 2.7.1 is not in " + folder + " and DJL_OFFLINE=true forbids fetching it;"
                + " run once without DJL_OFFLINE (DJL downloads it from https://publish.djl.ai/pytorch/2.7.1/), or set PYTORCH_LIBRARY_PATH to a"
                + " CUDA libtorch 2.7.1";
        assertEquals("resdet doctor: the PyTorch engine does not load: " + problem, r.lastErrLine());
        assertTrue(r.out().contains("libtorch       does not load: " + problem + " (RESDET_GPU=cu128 " + folder + ")"), r.out());
        assertTrue(r.out().contains("cpu            "), "the report goes on without the engine: " + r.out());
        assertTrue(!Files.exists(cache.resolve("pytorch")), "nothing written to the cache");
    }

    @Test
    void fetchAsksDjlsServerForTheCudaLibtorchAndReportsAFailureInOneLine() throws Exception {
        Path cache = dir.resolve("djl");
        List<String> requests = new CopyOnWriteArrayList<>();
        try (ServerSocket proxy = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                while (!proxy.isClosed()) {
                    try (Socket s = proxy.accept(); InputStream in = s.getInputStream(); OutputStream o = s.getOutputStream()) {
                        StringBuilder line = new StringBuilder();
                        for (int c; (c = in.read()) >= 0 && c != '\n'; ) line.append((char) c);
                        requests.add(line.toString().strip());
                        o.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            Run r = resdet(Map.of("RESDET_GPU", "cu128", "DJL_CACHE_DIR", cache.toString()),
                    List.of("-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + proxy.getLocalPort()),
                    "detect", "--device", "cpu", image());
            Path folder = cache.resolve("pytorch").resolve("2.7.1-cu128-linux-x86_64");
            assertEquals(1, r.code(), r.err());
            List<String> lines = r.err().strip().lines().toList();
            assertEquals("resdet: RESDET_GPU=cu128: fetching the CUDA 12.8 libtorch 2.7.1 (about 2.5 GB) from https://publish.djl.ai/pytorch/2.7.1/"
                    + " into " + folder + ", once; later runs use it offline", lines.get(0));
            assertTrue(r.lastErrLine().startsWith("resdet: RESDET_GPU=cu128: could not fetch or load the CUDA 12.8 libtorch 2.7.1 from"
                    + " https://publish.djl.ai/pytorch/2.7.1/ into " + folder + " ("), r.lastErrLine());
            assertTrue(r.lastErrLine().endsWith("); copy it there by hand or set PYTORCH_LIBRARY_PATH to a CUDA libtorch 2.7.1"), r.lastErrLine());
            assertEquals(2, lines.size(), r.err());
            assertEquals(List.of("CONNECT publish.djl.ai:443 HTTP/1.1"), requests, "DJL's index request, and nothing else");
        }
    }

    @Test
    void cachedCudaLibtorchIsLoadedWithTheCu128Jni() throws Exception {
        Path cache = dir.resolve("djl");
        Path folder = cache.resolve("pytorch").resolve("2.7.1-cu128-linux-x86_64");
        Files.createDirectories(folder);
        try (var s = Files.list(Path.of(cpuLibtorch()))) {
            for (Path lib : s.filter(p -> p.getFileName().toString().startsWith("lib")).toList()) {
                Files.createSymbolicLink(folder.resolve(lib.getFileName()), lib);
            }
        }
        Run r = resdet(Map.of("RESDET_GPU", "cu128", "DJL_CACHE_DIR", cache.toString()), List.of(), "detect", "--device", "cpu", image());
        assertEquals(1, r.code(), r.err());
        String line = r.lastErrLine();
        assertTrue(line.startsWith("resdet detect: the PyTorch engine did not load (RESDET_GPU=cu128 (DJL cache), " + folder + ", flavour cu128): "), line);
        assertTrue(line.endsWith("0.36.0-libdjl_torch.so: libc10_cuda.so: cannot open shared object file: No such file or directory"), line);
    }

    @Test
    void unsupportedFlavourAndEmptyLibraryPathAreOneLine() throws Exception {
        Run cu124 = resdet(Map.of("RESDET_GPU", "cu124"), List.of(), "detect", "--device", "cpu", image());
        assertEquals(1, cu124.code(), cu124.err());
        assertEquals("resdet detect: RESDET_GPU=cu124: DJL 0.36 carries a CUDA JNI for cu128 only; use RESDET_GPU=cu128, or PYTORCH_LIBRARY_PATH"
                + " for another libtorch 2.7.1", cu124.lastErrLine());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Run none = resdet(Map.of("PYTORCH_LIBRARY_PATH", empty.toString()), List.of(), "detect", "--device", "cpu", image());
        assertEquals(1, none.code(), none.err());
        assertEquals("resdet detect: PYTORCH_LIBRARY_PATH=" + empty + ": no libtorch.so there (give the lib folder of a libtorch 2.7.1)",
                none.lastErrLine());
    }

    @Test
    void libraryPathGetsItsFlavourFromTheFolder() throws Exception {
        String lib = cpuLibtorch();
        Run r = resdet(Map.of("PYTORCH_LIBRARY_PATH", lib, "DJL_CACHE_DIR", dir.resolve("djl").toString()), List.of(), "doctor");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\nlibtorch       2.7.1, flavour cpu, PYTORCH_LIBRARY_PATH, " + lib + "\n"), r.out());
        assertTrue(r.out().contains("\nenvironment    PYTORCH_LIBRARY_PATH=" + lib + " DJL_CACHE_DIR=" + dir.resolve("djl") + "\n"), r.out());
    }
}
