package io.resdet.cli;

import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * Where and how wide to compute: {@code --device} and {@code --threads}, on every command that runs a network.
 * {@code --threads N} is {@code RESDET_THREADS=N}: libtorch's intra-op threads ({@code ai.djl.pytorch.num_threads},
 * one inter-op thread), set before the engine starts.
 */
final class ComputeOptions {
    @Option(names = "--device", paramLabel = "auto|cpu|gpu|gpu:N",
            description = "Where the network runs: auto (the first GPU if libtorch sees one), cpu, gpu or gpu:N (default: $RESDET_DEVICE, else auto).")
    String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "libtorch intra-op threads, as RESDET_THREADS=N (default: $RESDET_THREADS, else all cores; bench: see its description).")
    Integer threads;

    void check() {
        if (threads != null && threads < 1) throw new UserError("--threads must be at least 1, got " + threads);
        if (device != null && !device.trim().toLowerCase(Locale.ROOT).matches("auto|cpu|gpu|cuda|(gpu|cuda):\\d+")) {
            throw new UserError("--device: expected auto, cpu, gpu or gpu:N, got '" + device + "'");
        }
    }

    /** Validates, then sets the thread count before the engine starts (it reads it once, at start). */
    ComputeOptions apply() {
        check();
        if (threads != null) setThreads(threads);
        return this;
    }

    /** {@link #apply()} with a command's own default thread count (the benches'). */
    int apply(int dfltThreads) {
        check();
        int n = threads != null ? threads : dfltThreads;
        setThreads(n);
        return n;
    }

    /**
     * Runs {@code body} with {@code --device} as the default device ({@code resdet.device}, what
     * {@link io.resdet.nn.Devices#auto()} reads): for commands whose engines take no device argument.
     */
    <T> T onDevice(java.util.concurrent.Callable<T> body) throws Exception {
        String before = System.getProperty("resdet.device");
        if (device != null) System.setProperty("resdet.device", device);
        try {
            return body.call();
        } finally {
            if (device != null) {
                if (before == null) System.clearProperty("resdet.device");
                else System.setProperty("resdet.device", before);
            }
        }
    }

    static void setThreads(int n) {
        System.setProperty("resdet.threads", Integer.toString(n));
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
}
