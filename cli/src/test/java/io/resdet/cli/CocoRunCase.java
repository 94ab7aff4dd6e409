package io.resdet.cli;

import io.resdet.testing.Oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The oracle's small `eval run` case (seeded torchvision ResNet-18 FPN weights, three images, COCO GT and a VOC tree of
 * torchvision's own confident detections), made once per test JVM: Debian's torch takes minutes for it on two shared
 * cores, and {@link EvalRunCommandTest} and {@link EvalRunViaKafkaTest} need the same one.
 */
final class CocoRunCase {
    private static Path dir;
    private static int annotations;

    private CocoRunCase() {}

    static synchronized Path dir() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("resdet-coco-run-case-");
                annotations = Integer.parseInt(Oracle.run(Oracle.resource("/oracle/coco_run_case.py"), d.toString(), "9").strip());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> DemoCommand.deleteTree(d)));
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** GT boxes in the case (torchvision's detections above 0.5). */
    static synchronized int annotations() {
        dir();
        return annotations;
    }
}
