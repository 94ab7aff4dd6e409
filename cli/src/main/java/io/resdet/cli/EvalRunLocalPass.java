package io.resdet.cli;

import io.resdet.detector.Attempts;
import io.resdet.detector.Detector;
import io.resdet.image.Images;
import io.resdet.image.RgbImage;
import io.resdet.util.Progress;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.resdet.cli.EvalRunJournal.Item;
import static io.resdet.cli.EvalRunJournal.Outcome;
import static io.resdet.cli.EvalRunJournal.finishedIds;
import static io.resdet.cli.EvalRunJournal.line;

/** {@code eval run}'s local detection pass: a detector in this process, batch by batch, into the journal. */
final class EvalRunLocalPass {
    private EvalRunLocalPass() {}

    static Outcome run(Detector detector, List<Item> images, Path jsonl, int batch) throws IOException {
        Set<String> done = finishedIds(jsonl, images);
        List<Item> todo = new ArrayList<>();
        for (Item im : images) if (!done.contains(im.id())) todo.add(im);
        if (!done.isEmpty()) System.err.println("resdet eval run: resuming, " + done.size() + " of " + images.size() + " images already done");
        int failed = 0;
        try (BufferedWriter out = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
             Progress progress = new Progress("resdet eval run", images.size(), "img").resumeFrom(done.size())) {
            for (int i = 0; i < todo.size(); i += batch) {
                List<Item> chunk = todo.subList(i, Math.min(todo.size(), i + batch));
                List<RgbImage> decoded = new ArrayList<>();
                List<Item> ok = new ArrayList<>();
                for (Item im : chunk) {
                    try {
                        decoded.add(Images.read(im.file()));
                        ok.add(im);
                    } catch (IOException e) {
                        System.err.println("resdet eval run: " + e.getMessage());
                        failed++;
                    }
                }
                if (!decoded.isEmpty()) {
                    List<Attempts.Attempt> dets = Attempts.detectEach(detector::detect, decoded);
                    for (int j = 0; j < ok.size(); j++) {
                        if (dets.get(j).ok()) {
                            out.write(line(ok.get(j).id(), dets.get(j).detections()) + "\n");
                        } else {
                            System.err.println("resdet eval run: " + ok.get(j).file() + ": the detector failed on it (" + dets.get(j).error() + ")");
                            failed++;
                        }
                    }
                    out.flush(); // each finished batch is durable before it counts as done
                }
                progress.step(chunk.size());
            }
        }
        return new Outcome(images.size(), done.size(), failed);
    }

}
