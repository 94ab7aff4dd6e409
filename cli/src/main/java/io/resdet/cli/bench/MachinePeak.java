package io.resdet.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine's float32 arithmetic peak, from {@code /proc/cpuinfo}: cores used × clock × FLOPs per cycle per core,
 * the last from the vector units the CPU reports (two FMA pipes per core: 256-bit on AMD Zen 1–4 whatever the
 * AVX-512 flag says, since Zen 4 executes 512-bit operations in two halves; 512-bit on Intel with AVX-512 and on Zen 5).
 * The clock is the one the kernel reports (a VM's nominal clock; turbo not counted), so a run can exceed 100%.
 */
public record MachinePeak(int cores, double ghz, int flopsPerCycle, String basis) {
    public double gflops() {
        return cores * ghz * flopsPerCycle;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%.0f GFLOP/s float32 (%d cores × %.2f GHz × %d FLOP/cycle: %s; clock from /proc/cpuinfo, turbo not counted)",
                gflops(), cores, ghz, flopsPerCycle, basis);
    }

    /** The peak for {@code threads} cores, or null when /proc/cpuinfo cannot be read (not Linux). */
    public static MachinePeak of(int threads) {
        try {
            return parse(Files.readAllLines(Path.of("/proc/cpuinfo")), Math.min(threads, Runtime.getRuntime().availableProcessors()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static MachinePeak parse(List<String> cpuinfo, int cores) {
        String vendor = "", flags = "";
        int family = 0;
        double mhz = 0;
        for (String l : cpuinfo) {
            int c = l.indexOf(':');
            if (c < 0) continue;
            String k = l.substring(0, c).trim(), v = l.substring(c + 1).trim();
            switch (k) {
                case "vendor_id" -> vendor = v;
                case "cpu family" -> family = Integer.parseInt(v);
                case "cpu MHz" -> mhz = Math.max(mhz, Double.parseDouble(v));
                case "flags" -> flags = " " + v + " ";
                default -> { }
            }
        }
        if (mhz <= 0) return null;
        boolean fma = flags.contains(" fma "), avx512 = flags.contains(" avx512f "), avx = flags.contains(" avx ");
        int perCycle;
        String basis;
        if (vendor.equals("AuthenticAMD") && avx512 && family >= 26) {
            perCycle = 64;
            basis = "Zen 5, 2 × 512-bit FMA";
        } else if (vendor.equals("AuthenticAMD") && fma) {
            perCycle = 32;
            basis = "AMD family " + family + ", 2 × 256-bit FMA";
        } else if (avx512 && fma) {
            perCycle = 64;
            basis = "AVX-512, 2 × 512-bit FMA";
        } else if (fma) {
            perCycle = 32;
            basis = "AVX2, 2 × 256-bit FMA";
        } else if (avx) {
            perCycle = 16;
            basis = "AVX, no FMA";
        } else {
            perCycle = 8;
            basis = "SSE";
        }
        return new MachinePeak(cores, mhz / 1000, perCycle, basis);
    }
}
