package io.resdet.nn;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device specs on this machine: the bundled CPU libtorch, no GPU. */
class DevicesTest {
    @Test
    void autoAndCpuNeverFail() {
        assertEquals(Device.cpu(), Devices.resolve("auto"));
        assertEquals(Device.cpu(), Devices.resolve("cpu"));
        assertEquals(Device.cpu(), Devices.resolve(" CPU "));
        assertEquals(Device.cpu(), Devices.resolve("cpu()"), "DJL's own spelling, as a Criteria device arrives");
        assertEquals(0, Devices.gpuCount());
    }

    @Test
    void aGpuThatIsNotThereIsOneLineWithWhatWasFoundAndTheFix() {
        for (String spec : new String[] {"gpu", "cuda:0", "gpu:1", "gpu(0)"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.resolve(spec));
            String m = e.getMessage();
            assertTrue(m.startsWith("device '" + spec + "': no usable GPU; found libtorch 2.7.1 without CUDA (CPU build), flavour cpu from the"
                    + " bundled Maven jar; NVIDIA driver: "), m);
            assertTrue(m.endsWith(". Fix: RESDET_GPU=cu128 (DJL fetches the CUDA 12.8 libtorch 2.7.1 once) or PYTORCH_LIBRARY_PATH=<lib folder"
                    + " of a CUDA libtorch 2.7.1>; see resdet doctor"), m);
            assertEquals(1, m.lines().count(), m);
        }
        assertEquals("device 'tpu': expected auto, cpu, gpu or gpu:N",
                assertThrows(IllegalArgumentException.class, () -> Devices.resolve("tpu")).getMessage());
    }

    @Test
    void diagnosisNamesTheDriverAndTheCudaRuntimeAsFound() {
        String d = Devices.diagnosis();
        String driver = Devices.nvidiaDriver();
        assertTrue(d.contains("; NVIDIA driver: " + (driver == null ? "none" : driver) + "; CUDA runtime: " + Devices.cudaRuntime() + ". Fix: "), d);
    }
}
