package io.resdet.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory (Linux {@code VmHWM}), which counts libtorch's native allocations that
 * the JVM heap figures miss. {@link #reset} starts a new peak so each model is measured on its own.
 */
public final class PeakMemory {
    private PeakMemory() {}

    /** Peak RSS in bytes, or -1 where /proc is unavailable. */
    public static long peakBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Resets the peak to the current RSS (writes 5 to /proc/self/clear_refs); false if the kernel refused. */
    public static boolean reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
