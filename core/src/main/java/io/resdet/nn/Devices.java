package io.resdet.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Device choice: {@code auto} takes the first GPU when the PyTorch engine can use one (a CUDA libtorch, see
 * {@link GpuSetup}) and the CPU otherwise, and never fails for want of a GPU; {@code cpu}, {@code gpu},
 * {@code gpu:1} or {@code cuda:1} force one, and a GPU that is not usable is a one-line error saying what was found
 * and the one step that fixes it. The default comes from {@code RESDET_DEVICE} or {@code -Dresdet.device}.
 */
public final class Devices {
    private static volatile Integer gpus;

    private Devices() {}

    public static Device resolve(String spec) {
        Engines.pytorch();
        String s = spec == null || spec.isBlank() ? defaultSpec() : spec.trim().toLowerCase(java.util.Locale.ROOT);
        // DJL's own spelling (Device#toString: "cpu()", "gpu(1)"), as a Criteria device arrives
        s = s.replaceFirst("^cpu\\(\\)$", "cpu").replaceFirst("^gpu\\((\\d+)\\)$", "gpu:$1");
        if (s.equals("auto")) return gpuCount() > 0 ? Device.gpu() : Device.cpu();
        if (s.equals("cpu")) return Device.cpu();
        if (s.equals("gpu") || s.equals("cuda")) return requireGpu(0, spec == null ? s : spec);
        if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
            try {
                return requireGpu(Integer.parseInt(s.substring(s.indexOf(':') + 1)), spec == null ? s : spec);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device '" + spec + "': expected auto, cpu, gpu or gpu:N");
            }
        }
        throw new IllegalArgumentException("device '" + (spec == null ? s : spec) + "': expected auto, cpu, gpu or gpu:N");
    }

    public static Device auto() {
        return resolve(null);
    }

    /**
     * GPUs the engine can compute on. DJL counts them through {@code libcudart} found by JNA, which a CUDA
     * libtorch from DJL's download or from Python's wheels does not always expose under that name; when the
     * libtorch is a CUDA build and DJL counts none, each device is probed with a one-element allocation.
     */
    public static int gpuCount() {
        Integer n = gpus;
        if (n != null) return n;
        synchronized (Devices.class) {
            if (gpus == null) {
                Engine e = Engines.pytorch();
                int count = 0;
                if (e.hasCapability(StandardCapabilities.CUDA)) {
                    count = e.getGpuCount();
                    if (count == 0) {
                        while (count < 64 && allocates(e, Device.gpu(count))) count++;
                    }
                }
                gpus = count;
            }
            return gpus;
        }
    }

    private static boolean allocates(Engine e, Device d) {
        try (NDManager m = e.newBaseManager(d); NDArray a = m.zeros(new Shape(1), DataType.FLOAT32)) {
            return a.getDevice().isGpu();
        } catch (RuntimeException | LinkageError x) {
            return false;
        }
    }

    private static String defaultSpec() {
        String p = System.getProperty("resdet.device");
        if (p == null) p = System.getenv("RESDET_DEVICE");
        return p == null ? "auto" : p.trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static Device requireGpu(int id, String spec) {
        int n = gpuCount();
        if (id >= n) {
            if (n == 0) throw new IllegalArgumentException("device '" + spec + "': no usable GPU; " + diagnosis());
            throw new IllegalArgumentException("device '" + spec + "': only " + n + " GPU(s) visible to the PyTorch engine (gpu:0..gpu:" + (n - 1) + ")");
        }
        return Device.gpu(id);
    }

    /**
     * One line: the engine's libtorch (version, flavour, where from), whether CUDA is compiled in, whether an
     * NVIDIA driver and the CUDA runtime are visible, and the step that makes a GPU usable.
     */
    public static String diagnosis() {
        Engine e = Engines.pytorch();
        GpuSetup.Choice c = GpuSetup.configure();
        boolean cudaBuild = e.hasCapability(StandardCapabilities.CUDA);
        String driver = nvidiaDriver();
        StringBuilder sb = new StringBuilder("found libtorch ").append(e.getVersion())
                .append(cudaBuild ? " with CUDA" : " without CUDA (CPU build)")
                .append(", flavour ").append(c.flavor() == null ? "?" : c.flavor())
                .append(" from ").append(c.dir() == null ? "the bundled Maven jar" : c.source() + " " + c.dir())
                .append("; NVIDIA driver: ").append(driver == null ? "none" : driver)
                .append("; CUDA runtime: ").append(cudaRuntime());
        if (!cudaBuild) {
            sb.append(". Fix: RESDET_GPU=").append(GpuSetup.CUDA_FLAVOR).append(" (DJL fetches the CUDA 12.8 libtorch ")
                    .append(GpuSetup.LIBTORCH_VERSION).append(" once) or PYTORCH_LIBRARY_PATH=<lib folder of a CUDA libtorch ")
                    .append(GpuSetup.LIBTORCH_VERSION).append(">; see resdet doctor");
        } else if (driver == null) {
            sb.append(". Fix: install the NVIDIA driver (R570 or later for CUDA 12.8) or run where a GPU is attached (Docker: --gpus all); see resdet doctor");
        } else {
            sb.append(". Fix: check that the GPU is free and CUDA_VISIBLE_DEVICES does not hide it (nvidia-smi); see resdet doctor");
        }
        return sb.toString();
    }

    /** The kernel driver's version line ({@code /proc/driver/nvidia/version}), or null when none is loaded. */
    public static String nvidiaDriver() {
        Path p = Path.of("/proc/driver/nvidia/version");
        try {
            if (!Files.isReadable(p)) return null;
            String first = Files.readAllLines(p).stream().findFirst().orElse("").strip();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Kernel Module(?: for \\S+)?\\s+(\\d+(?:\\.\\d+)+)").matcher(first);
            return m.find() ? m.group(1) : first.isEmpty() ? "loaded" : first;
        } catch (java.io.IOException | RuntimeException x) {
            return null;
        }
    }

    /** The CUDA runtime DJL sees through JNA ({@code libcudart}): its version and GPU count, or "not found". */
    public static String cudaRuntime() {
        try {
            int n = CudaUtils.getGpuCount();
            if (n > 0) return CudaUtils.getCudaVersionString().replaceFirst("(\\d+)(\\d)$", "$1.$2") + ", " + n + " GPU(s)";
            try {
                com.sun.jna.NativeLibrary.getInstance("cudart");
                return "libcudart found, no GPU";
            } catch (UnsatisfiedLinkError x) {
                return "libcudart not found";
            }
        } catch (RuntimeException | LinkageError x) {
            return "not usable (" + Engines.rootMessage(x) + ")";
        }
    }
}
