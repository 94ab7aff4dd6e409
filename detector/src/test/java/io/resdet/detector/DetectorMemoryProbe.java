package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.resdet.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The detection loop {@link DetectorMemoryTest} measures, run in a JVM of its own whose heap is fixed and pre-touched,
 * so resident-size growth is native memory only (earlier test classes' garbage and the heap growing into its
 * -Xmx would otherwise show up as resident pages). Prints one line of {@code key=value} pairs.
 */
public final class DetectorMemoryProbe {
    public static void main(String[] args) throws IOException {
        int images = Integer.parseInt(args[0]);
        int warmAt = Integer.parseInt(args[1]);
        try (NDManager m = NDManager.newBaseManager()) {
            FasterRCNN model = FasterRCNNs.builder().setArch("fasterrcnn_resnet18_fpn").optNumClasses(5)
                    .optMinSize(128).optMaxSize(160).optRepresentationSize(128)
                    .optRpnConfig(RegionProposalNetwork.RpnConfig.builder().optPreNmsTopN(200, 200).optPostNmsTopN(100, 100).build())
                    .optHeadsConfig(RoIHeads.HeadsConfig.defaults().withScoreThresh(0f)).build(m);
            model.eval();
            model.requiresGrad(false);
            Random rnd = new Random(7);
            int arraysBefore = m.getManagedArrays().size();
            long warm = 0;
            long detections = 0;
            for (int i = 0; i < images; i++) {
                byte[] px = new byte[150 * 120 * 3];
                rnd.nextBytes(px);
                RgbImage im = new RgbImage(150, 120, px);
                try (NDManager call = m.newSubManager()) {
                    NDArray t = GeneralizedRCNNTransform.toTensor(call, im);
                    for (RoIHeads.Result r : model.detectScoped(List.of(t))) {
                        detections += r.scores().getShape().get(0);
                    }
                }
                if (i == warmAt - 1) warm = rss();
            }
            long end = rss();
            System.out.println("warm=" + warm + " end=" + end + " detections=" + detections
                    + " leakedArrays=" + (m.getManagedArrays().size() - arraysBefore));
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
