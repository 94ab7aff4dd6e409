package io.resdet.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Device choice: {@code auto} takes the first GPU when the PyTorch engine sees one (a CUDA libtorch, see
 * the README's GPU section) and the CPU otherwise; {@code cpu}, {@code gpu}, {@code gpu:1} or
 * {@code cuda:1} force one. The default comes from {@code RESDET_DEVICE} or {@code -Dresdet.device}.
 */
public final class Devices {
    private Devices() {}

    public static Device resolve(String spec) {
        Engines.pytorch();
        String s = spec == null || spec.isBlank() ? defaultSpec() : spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("auto")) return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        if (s.equals("cpu")) return Device.cpu();
        if (s.equals("gpu") || s.equals("cuda")) return requireGpu(0, spec);
        if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
            try {
                return requireGpu(Integer.parseInt(s.substring(s.indexOf(':') + 1)), spec);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device '" + spec + "': expected auto, cpu, gpu or gpu:N");
            }
        }
        throw new IllegalArgumentException("device '" + spec + "': expected auto, cpu, gpu or gpu:N");
    }

    public static Device auto() {
        return resolve(null);
    }

    private static String defaultSpec() {
        String p = System.getProperty("resdet.device");
        if (p == null) p = System.getenv("RESDET_DEVICE");
        return p == null ? "auto" : p.trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static Device requireGpu(int id, String spec) {
        int n = Engine.getInstance().getGpuCount();
        if (id >= n) {
            throw new IllegalArgumentException("device '" + spec + "': " + n + " GPU(s) visible to the PyTorch engine"
                    + (n == 0 ? " (CPU-only libtorch; see the README's GPU section)" : ""));
        }
        return Device.gpu(id);
    }
}
