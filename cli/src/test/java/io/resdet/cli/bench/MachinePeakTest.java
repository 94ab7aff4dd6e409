package io.resdet.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MachinePeakTest {
    private static List<String> cpu(String vendor, int family, String mhz, String flags) {
        return List.of("processor\t: 0", "vendor_id\t: " + vendor, "cpu family\t: " + family, "cpu MHz\t\t: " + mhz,
                "flags\t\t: fpu sse sse2 " + flags, "", "processor\t: 1", "vendor_id\t: " + vendor, "cpu MHz\t\t: " + mhz);
    }

    @Test
    void zen2AndZen4HaveTwo256BitFmaPipesWhateverTheirFlags() {
        MachinePeak zen2 = MachinePeak.parse(cpu("AuthenticAMD", 23, "2250.000", "avx fma avx2"), 2);
        assertEquals(144.0, zen2.gflops(), 1e-9);
        MachinePeak zen4 = MachinePeak.parse(cpu("AuthenticAMD", 25, "2596.128", "avx fma avx2 avx512f avx512_bf16"), 2);
        assertEquals(32, zen4.flopsPerCycle());
        assertEquals(2 * 2.596128 * 32, zen4.gflops(), 1e-9);
    }

    @Test
    void intelWithAvx512AndOlderCpus() {
        assertEquals(64, MachinePeak.parse(cpu("GenuineIntel", 6, "3000", "avx fma avx2 avx512f"), 4).flopsPerCycle());
        assertEquals(32, MachinePeak.parse(cpu("GenuineIntel", 6, "3000", "avx fma avx2"), 4).flopsPerCycle());
        assertEquals(16, MachinePeak.parse(cpu("GenuineIntel", 6, "3000", "avx"), 4).flopsPerCycle());
        assertEquals(64, MachinePeak.parse(cpu("AuthenticAMD", 26, "3000", "avx fma avx2 avx512f"), 1).flopsPerCycle());
    }

    @Test
    void noClockNoPeak() {
        assertNull(MachinePeak.parse(List.of("vendor_id : AuthenticAMD", "flags : fma"), 2));
    }
}
