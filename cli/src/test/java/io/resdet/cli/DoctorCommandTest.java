package io.resdet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.resdet.nn.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code resdet doctor} and the GPU one-liners on this machine, which has no GPU and runs the bundled CPU libtorch:
 * what it reports is read from the machine (DJL's own calls, /proc/cpuinfo), so the expectations are derived the same
 * independent way where they depend on the machine.
 */
class DoctorCommandTest {
    @TempDir Path dir;

    private static Map<String, String> rows(String out) {
        return out.lines().filter(l -> l.length() > 16).collect(Collectors.toMap(l -> l.substring(0, 15).strip(), l -> l.substring(15),
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    @Test
    void reportsTheCpuSetup() {
        CliRun r = CliRun.of("doctor", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        Map<String, String> rows = rows(r.out());
        assertEquals(List.of("resdet", "java", "djl", "libtorch", "capabilities", "cpu", "threads", "nvidia driver", "cuda runtime",
                "libtorch cuda", "gpus", "device auto", "gpu", "djl cache", "models cache", "environment"), List.copyOf(rows.keySet()), r.out());
        Engines.pytorch();
        String libDir = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        assertEquals("0.36.0, offline true", rows.get("djl"));
        assertEquals("2.7.1, flavour cpu, bundled Maven jar, " + libDir, rows.get("libtorch"));
        assertEquals(String.join(" ", new java.util.TreeSet<>(ai.djl.pytorch.jni.JniUtils.getFeatures())), rows.get("capabilities"));
        assertTrue(rows.get("capabilities").contains("MKLDNN") && !rows.get("capabilities").contains("CUDA"), rows.get("capabilities"));
        assertEquals(System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home")
                + "; " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"), rows.get("java"));
        assertTrue(rows.get("cpu").endsWith(Runtime.getRuntime().availableProcessors() + " cores; features " + cpuFlags()), rows.get("cpu"));
        assertTrue(rows.get("threads").startsWith("intra-op " + ai.djl.pytorch.jni.JniUtils.getNumThreads() + ", inter-op "), rows.get("threads"));
        assertEquals("none (no /proc/driver/nvidia/version)", rows.get("nvidia driver"));
        assertEquals("no (CPU build)", rows.get("libtorch cuda"));
        assertEquals("none", rows.get("gpus"));
        assertEquals("cpu()", rows.get("device auto"));
        assertTrue(rows.get("gpu").startsWith("not usable: found libtorch 2.7.1 without CUDA (CPU build), flavour cpu from the bundled Maven jar;"
                + " NVIDIA driver: none; CUDA runtime: "), rows.get("gpu"));
        assertTrue(rows.get("gpu").endsWith(". Fix: RESDET_GPU=cu128 (DJL fetches the CUDA 12.8 libtorch 2.7.1 once) or"
                + " PYTORCH_LIBRARY_PATH=<lib folder of a CUDA libtorch 2.7.1>; see resdet doctor"), rows.get("gpu"));
        String cacheDir = Path.of(libDir).getFileName().toString();
        assertTrue(rows.get("djl cache").startsWith(ai.djl.util.Utils.getEngineCacheDir("pytorch") + ": ")
                && rows.get("djl cache").contains(cacheDir + " "), rows.get("djl cache"));
    }

    /** The vector extensions the report picks, read here independently from /proc/cpuinfo's first flags line. */
    private static String cpuFlags() {
        try {
            String flags = java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags"))
                    .findFirst().orElseThrow().split(":", 2)[1];
            java.util.Set<String> have = java.util.Set.of(flags.strip().split("\\s+"));
            return java.util.stream.Stream.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16",
                    "avx512_fp16", "amx_tile", "amx_bf16", "asimd", "sve").filter(have::contains).collect(Collectors.joining(" "));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void jsonHasTheSameItems() throws Exception {
        CliRun r = CliRun.of("doctor", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(0, o.get("gpuCount").asInt());
        assertEquals("cpu()", o.get("device auto").asText());
        assertTrue(o.get("libtorch").asText().startsWith("2.7.1, flavour cpu, bundled Maven jar, "), o.toString());
    }

    @Test
    void deviceGpuWithoutAGpuIsOneLineAndExit1() {
        CliRun r = CliRun.of("doctor", "--device", "gpu");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("--device gpu   refused: device 'gpu': no usable GPU; found libtorch 2.7.1 without CUDA"), r.out());
        String line = r.lastErrLine();
        assertTrue(line.startsWith("resdet doctor: device 'gpu': no usable GPU; found libtorch 2.7.1 without CUDA (CPU build), flavour cpu"
                + " from the bundled Maven jar; NVIDIA driver: none; CUDA runtime: "), line);
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void detectSaysWhatWasFoundForGpuRunsAutoOnTheCpuAndRefusesHalf() throws Exception {
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillOval(20, 10, 40, 40);
        g.dispose();
        Path file = dir.resolve("one.png");
        ImageIO.write(img, "png", file.toFile());

        CliRun gpu = CliRun.of("detect", "--device", "gpu", file.toString());
        assertEquals(2, gpu.code(), gpu.err());
        assertTrue(gpu.lastErrLine().startsWith("resdet detect: device 'gpu': no usable GPU; found libtorch 2.7.1 without CUDA (CPU build),"),
                gpu.err());
        assertTrue(gpu.lastErrLine().contains(". Fix: RESDET_GPU=cu128 "), gpu.err());

        CliRun auto = CliRun.of("detect", "--device", "auto", file.toString());
        assertEquals(0, auto.code(), auto.err());
        assertTrue(auto.out().startsWith("{\"image\":\"" + file + "\",\"width\":96,\"height\":64,\"detections\":["), auto.out());

        CliRun half = CliRun.of("detect", "--half", file.toString());
        assertEquals(2, half.code(), half.err());
        assertEquals("resdet detect: --half needs a GPU: the detector runs on the CPU here (device auto), where float16 convolutions are"
                + " slower than float32 and gain nothing; drop --half", half.lastErrLine());

        CliRun bench = CliRun.of("bench", "detector", "--half", "--python", "none", "--sizes", "1x64x64");
        assertEquals(2, bench.code(), bench.err());
        assertEquals("resdet bench detector: --half needs a GPU: the bench runs on the CPU here (device auto), where float16 convolutions"
                + " are slower than float32; drop --half", bench.lastErrLine());
    }
}
