package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1000 detections in a row leave the process's native memory flat: every native array of a call is
 * freed with its scope (resident size growth less the Java heap's own growth). A small configuration (ResNet-18 FPN, 160 px, 100 proposals) keeps it quick.
 */
class DetectorMemoryTest {
    @Test
    void residentSizeStaysFlatOver1000Images() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN model = FasterRCNNs.builder().setArch("fasterrcnn_resnet18_fpn").optNumClasses(5)
                    .optMinSize(128).optMaxSize(160).optRepresentationSize(128)
                    .optRpnConfig(new RegionProposalNetwork.RpnConfig(200, 200, 100, 100, 0.7, 1e-3f, 0f)).build(m);
            model.eval();
            model.requiresGrad(false);
            Random rnd = new Random(7);
            int arraysBefore = m.getManagedArrays().size();
            long warm = 0, warmHeap = 0;
            long detections = 0;
            for (int i = 0; i < 1000; i++) {
                byte[] px = new byte[150 * 120 * 3];
                rnd.nextBytes(px);
                RgbImage im = new RgbImage(150, 120, px);
                try (NDManager call = m.newSubManager()) {
                    NDArray t = GeneralizedRCNNTransform.toTensor(call, im);
                    for (RoIHeads.Result r : model.detectScoped(List.of(t), RoIHeads.HeadsConfig.defaults().withScoreThresh(0f))) {
                        detections += r.scores().getShape().get(0);
                    }
                }
                if (i == 199) {
                    warm = rss();
                    warmHeap = Runtime.getRuntime().totalMemory();
                }
            }
            long end = rss();
            // The Java heap may still be growing into its -Xmx (earlier test classes in this JVM leave garbage);
            // those pages are resident too but are not the native memory this test is about.
            long heapGrowth = Math.max(0, Runtime.getRuntime().totalMemory() - warmHeap);
            assertTrue(detections > 0);
            assertEquals(arraysBefore, m.getManagedArrays().size(), "arrays left in the model's manager");
            long growthMb = (end - warm - heapGrowth) / (1024 * 1024);
            assertTrue(growthMb < 64, "resident size less heap growth grew " + growthMb + " MB over 800 images (" + warm / 1048576
                    + " → " + end / 1048576 + " MB resident, heap committed +" + heapGrowth / 1048576 + " MB)");
        }
    }

    /** VmRSS of this process, in bytes (Linux). */
    static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

}
