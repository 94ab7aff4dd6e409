package io.resdet.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's peak resident memory ({@code VmHWM}), resettable per measurement ({@code clear_refs} 5; Linux). */
final class PeakRss {
    private PeakRss() {}

    static void reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux, or not allowed: the peak then covers the whole process
        }
    }

    /** MiB, or -1 when unknown. */
    static double mib() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }
}
