package io.resdet.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import io.resdet.models.ModelStore;
import io.resdet.nn.Devices;
import io.resdet.nn.Engines;
import io.resdet.nn.GpuSetup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code resdet doctor} reports, gathered in order: Java, DJL, the libtorch the engine loaded (version,
 * flavour, folder, capabilities), CPU and threads, GPUs, driver, CUDA and cuDNN, the caches and the environment.
 * Every item is read, never assumed; an item that cannot be read says why. {@link #engineError} is set when the
 * engine does not load, and the report still holds everything that does not need it.
 */
final class DoctorReport {
    /** CPU flags that decide which libtorch kernels run (AVX2/AVX-512 paths, VNNI, BF16, AMX). */
    private static final List<String> CPU_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
            "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "asimd", "sve");

    final Map<String, String> rows = new LinkedHashMap<>();
    String engineError;
    int gpuCount;

    static DoctorReport gather(String device) {
        DoctorReport r = new DoctorReport();
        r.collect(device);
        return r;
    }

    private void collect(String device) {
        String v = Main.class.getPackage().getImplementationVersion();
        rows.put("resdet", v == null ? "dev" : v);
        rows.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") at "
                + System.getProperty("java.home") + "; " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        rows.put("djl", Engine.getDjlVersion() + ", offline " + Utils.isOfflineMode());
        GpuSetup.Choice choice = GpuSetup.configure();
        Engine e = null;
        try {
            e = Engines.pytorch();
        } catch (RuntimeException | LinkageError x) {
            engineError = x.getMessage() == null ? x.toString() : x.getMessage();
        }
        if (e != null) {
            String libDir = libtorchPath();
            String actual = libDir == null ? null : libtorchVersion(Path.of(libDir));
            String version = actual == null || actual.startsWith(e.getVersion()) ? e.getVersion()
                    : actual + " (DJL reports " + e.getVersion() + ", its JNI's)";
            rows.put("libtorch", version + ", flavour " + (choice.flavor() == null ? "?" : choice.flavor()) + ", "
                    + (choice.dir() == null ? "bundled Maven jar" : choice.source()) + (libDir == null ? "" : ", " + libDir));
            rows.put("capabilities", String.join(" ", new TreeSet<>(features())));
        } else {
            rows.put("libtorch", "does not load: " + engineError + " (" + choice.source()
                    + (choice.dir() == null ? "" : " " + choice.dir()) + ")");
        }
        rows.put("cpu", cpu());
        rows.put("threads", threads(e));
        String driver = Devices.nvidiaDriver();
        rows.put("nvidia driver", driver == null ? "none (no /proc/driver/nvidia/version)" : driver);
        rows.put("cuda runtime", Devices.cudaRuntime() + cudaLibraries(e == null ? choice.dir() : dirOrNull(libtorchPath())));
        if (e != null) {
            boolean cuda = e.hasCapability(StandardCapabilities.CUDA);
            gpuCount = Devices.gpuCount();
            rows.put("libtorch cuda", cuda ? "yes" + (e.hasCapability(StandardCapabilities.CUDNN) ? ", cuDNN yes" : ", cuDNN no") : "no (CPU build)");
            rows.put("gpus", gpuCount == 0 ? "none" : gpus(gpuCount));
            rows.put("device auto", Devices.auto().toString());
            if (gpuCount == 0) rows.put("gpu", "not usable: " + Devices.diagnosis());
        }
        rows.put("djl cache", caches(Utils.getEngineCacheDir("pytorch")));
        rows.put("models cache", modelCache());
        rows.put("environment", environment());
        if (device != null && e != null) {
            try {
                rows.put("--device " + device, Devices.resolve(device).toString());
            } catch (IllegalArgumentException x) {
                rows.put("--device " + device, "refused: " + x.getMessage());
            }
        }
    }

    /**
     * The version of the libtorch in {@code dir} when the folder says it: Python's wheel ({@code ../version.py}),
     * PyTorch's libtorch zip ({@code ../build-version}). DJL reports the version its JNI was built for whatever it loads.
     */
    static String libtorchVersion(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null) return null;
        try {
            Path py = parent.resolve("version.py");
            if (Files.isRegularFile(py)) {
                Matcher m = Pattern.compile("(?m)^__version__\\s*(?::\\s*\\w+\\s*)?=\\s*['\"]([^'\"]+)['\"]").matcher(Files.readString(py));
                if (m.find()) return m.group(1);
            }
            Path build = parent.resolve("build-version");
            if (Files.isRegularFile(build)) return Files.readString(build).strip();
        } catch (IOException | RuntimeException x) {
            return null;
        }
        return null;
    }

    private static Path dirOrNull(String p) {
        return p == null ? null : Path.of(p);
    }

    private static String libtorchPath() {
        try {
            return ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        } catch (RuntimeException | LinkageError x) {
            return null;
        }
    }

    private static java.util.Set<String> features() {
        try {
            return ai.djl.pytorch.jni.JniUtils.getFeatures();
        } catch (RuntimeException | LinkageError x) {
            return java.util.Set.of("unknown (" + x.getMessage() + ")");
        }
    }

    private static String threads(Engine e) {
        String set = System.getProperty("resdet.threads", System.getenv("RESDET_THREADS"));
        String cores = Runtime.getRuntime().availableProcessors() + " cores available";
        if (e == null) return cores + (set == null ? "" : ", RESDET_THREADS=" + set);
        try {
            return "intra-op " + ai.djl.pytorch.jni.JniUtils.getNumThreads() + ", inter-op " + ai.djl.pytorch.jni.JniUtils.getNumInteropThreads()
                    + " (" + (set == null ? "RESDET_THREADS unset" : "RESDET_THREADS=" + set) + "; " + cores + ")";
        } catch (RuntimeException | LinkageError x) {
            return cores;
        }
    }

    /** Model name and the vector extensions libtorch's kernels pick from ({@code /proc/cpuinfo}). */
    static String cpu() {
        Path info = Path.of("/proc/cpuinfo");
        String model = System.getProperty("os.arch");
        List<String> flags = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(info)) {
                String[] kv = line.split(":", 2);
                if (kv.length < 2) continue;
                String k = kv[0].strip();
                if ((k.equals("model name") || k.equals("Model")) && model.equals(System.getProperty("os.arch"))) model = kv[1].strip();
                if ((k.equals("flags") || k.equals("Features")) && flags.isEmpty()) {
                    java.util.Set<String> have = new java.util.HashSet<>(List.of(kv[1].strip().split("\\s+")));
                    for (String f : CPU_FLAGS) if (have.contains(f)) flags.add(f);
                }
            }
        } catch (IOException x) {
            return model + "; features unknown (" + x.getMessage() + ")";
        }
        return model + "; " + Runtime.getRuntime().availableProcessors() + " cores; features " + (flags.isEmpty() ? "none of " + CPU_FLAGS : String.join(" ", flags));
    }

    /** Per GPU: name and memory from nvidia-smi when there is one, compute capability and memory from the CUDA runtime. */
    private static String gpus(int n) {
        List<String> out = new ArrayList<>();
        List<String> smi = nvidiaSmi();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("gpu:" + i);
            if (i < smi.size()) sb.append(" ").append(smi.get(i));
            try {
                if (CudaUtils.getGpuCount() > i) {
                    sb.append(", compute capability ").append(CudaUtils.getComputeCapability(i));
                    var mem = CudaUtils.getGpuMemory(Device.gpu(i));
                    sb.append(String.format(Locale.ROOT, ", %.1f GiB (%.1f GiB in use)", mem.getMax() / 1073741824.0, mem.getCommitted() / 1073741824.0));
                }
            } catch (RuntimeException | LinkageError x) {
                sb.append(" (CUDA runtime query failed: ").append(x.getMessage()).append(")");
            }
            out.add(sb.toString());
        }
        return n + ": " + String.join("; ", out);
    }

    private static List<String> nvidiaSmi() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            if (p.exitValue() != 0) return List.of();
            return new String(p.getInputStream().readAllBytes()).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException x) {
            return List.of();
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * The CUDA runtime and cuDNN versions a CUDA libtorch carries, read from its library names: DJL's download
     * and the Python wheels name them {@code libcudart*.so.12}, {@code libcudnn*.so.9}; the wheels keep them in
     * {@code site-packages/nvidia/*}/lib beside {@code torch/lib}.
     */
    static String cudaLibraries(Path libtorch) {
        if (libtorch == null) return "";
        List<Path> dirs = new ArrayList<>(List.of(libtorch));
        Path sitePackages = libtorch.toAbsolutePath().getParent() == null ? null : libtorch.toAbsolutePath().getParent().getParent();
        if (sitePackages != null && Files.isDirectory(sitePackages.resolve("nvidia"))) {
            try (Stream<Path> s = Files.walk(sitePackages.resolve("nvidia"), 3)) {
                s.filter(p -> p.getFileName().toString().equals("lib") && Files.isDirectory(p)).forEach(dirs::add);
            } catch (IOException ignored) {
                // the report then names what libtorch's own folder holds
            }
        }
        String cudart = null, cudnn = null;
        Pattern rt = Pattern.compile("libcudart[-.\\w]*?\\.so\\.(\\d+(?:\\.\\d+)*)");
        Pattern dnn = Pattern.compile("libcudnn[-.\\w]*?\\.so\\.(\\d+(?:\\.\\d+)*)");
        for (Path d : dirs) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                for (Path f : s) {
                    String n = f.getFileName().toString();
                    Matcher m = rt.matcher(n);
                    if (m.matches() && (cudart == null || m.group(1).length() > cudart.length())) cudart = m.group(1);
                    m = dnn.matcher(n);
                    if (m.matches() && (cudnn == null || m.group(1).length() > cudnn.length())) cudnn = m.group(1);
                }
            } catch (IOException ignored) {
                // unreadable folder: nothing to report from it
            }
        }
        if (cudart == null && cudnn == null) return "; libtorch folder holds no CUDA runtime or cuDNN";
        return "; libtorch ships CUDA runtime " + (cudart == null ? "none" : cudart) + ", cuDNN " + (cudnn == null ? "none" : cudnn);
    }

    /** DJL's native cache: each libtorch folder with its size. */
    static String caches(Path pytorchCache) {
        if (!Files.isDirectory(pytorchCache)) return pytorchCache + " (empty)";
        List<String> parts = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(pytorchCache)) {
            for (Path d : s) {
                if (Files.isDirectory(d)) parts.add(d.getFileName() + " " + megabytes(d) + " MB");
            }
        } catch (IOException x) {
            return pytorchCache + " (unreadable: " + x.getMessage() + ")";
        }
        parts.sort(null);
        return pytorchCache + (parts.isEmpty() ? " (empty)" : ": " + String.join(", ", parts));
    }

    private static long megabytes(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException x) {
                    return 0;
                }
            }).sum() / 1_000_000;
        } catch (IOException x) {
            return 0;
        }
    }

    private static String modelCache() {
        Path dir = ModelStore.fromEnvironment(ModelOptions.environment()).cacheDir();
        if (!Files.isDirectory(dir)) return dir + " (empty)";
        try (Stream<Path> s = Files.list(dir)) {
            long n = s.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".part")).count();
            return dir + " (" + n + " file(s), " + megabytes(dir) + " MB)";
        } catch (IOException x) {
            return dir + " (unreadable: " + x.getMessage() + ")";
        }
    }

    /** The variables that change what loads or where it runs, those set only. */
    private static String environment() {
        List<String> set = new ArrayList<>();
        for (String k : List.of("RESDET_DEVICE", "RESDET_THREADS", "RESDET_GPU", "PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR",
                "PYTORCH_VERSION", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "DJL_OFFLINE", "CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH")) {
            String v = System.getenv(k);
            if (v != null) set.add(k + "=" + v);
        }
        return set.isEmpty() ? "none of RESDET_*, PYTORCH_*, DJL_*, CUDA_VISIBLE_DEVICES, LD_LIBRARY_PATH set" : String.join(" ", set);
    }
}
