package io.resdet.eval.coco;

import io.resdet.eval.EvalInputException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A GT file and a results file read together: the two parses run on two threads. */
public record CocoFiles(CocoGroundTruth gt, CocoDetections dt) {
    public static CocoFiles read(Path gtFile, Path dtFile) {
        CompletableFuture<CocoJsonReader.RawDetections> raw =
                CompletableFuture.supplyAsync(() -> CocoJsonReader.readRawDetections(dtFile));
        CocoGroundTruth gt;
        try {
            gt = CocoGroundTruth.read(gtFile);
        } catch (RuntimeException e) {
            raw.cancel(true);
            throw e;
        }
        try {
            return new CocoFiles(gt, raw.join().resolve(gt));
        } catch (CompletionException e) {
            if (e.getCause() instanceof EvalInputException ie) throw new EvalInputException(ie.getMessage(), ie);
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }
}
