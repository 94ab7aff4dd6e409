package io.resdet.experiments;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.resdet.train.TrainCheckpoint;
import io.resdet.train.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One network's resumable state in an experiment folder. While it trains, {@code checkpoint/} holds the
 * {@link TrainCheckpoint} of the last evaluation point together with the points so far ({@code points.json});
 * a new one is written beside it and renamed over it, so a kill at any moment leaves one complete checkpoint.
 * A finished network keeps only {@code points.json} (its curves): checkpoints of ResNet-1202 are 150 MB each.
 */
final class RunState {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final TypeReference<List<ClassificationRun.Point>> POINTS = new TypeReference<>() {};
    static final String POINTS_FILE = "points.json";

    private final Path dir;

    RunState(Path dir) {
        this.dir = dir;
    }

    /** The finished network's points, or null when it has not finished. */
    List<ClassificationRun.Point> finished() {
        Path f = dir.resolve(POINTS_FILE);
        return Files.exists(f) ? read(f) : null;
    }

    /** Whether a checkpoint to resume from exists (an interrupted rename leaves it under {@code checkpoint.next}). */
    Path checkpoint() {
        for (String name : new String[] {"checkpoint", "checkpoint.next"}) {
            Path c = dir.resolve(name);
            if (Files.exists(c.resolve(POINTS_FILE))) return c;
        }
        return null;
    }

    /** Restores {@code t} from the checkpoint and returns the points recorded up to it. */
    List<ClassificationRun.Point> restore(Path checkpoint, Trainer t) {
        try {
            TrainCheckpoint.load(checkpoint, t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(read(checkpoint.resolve(POINTS_FILE)));
    }

    void save(Trainer t, List<ClassificationRun.Point> points) {
        try {
            Path next = dir.resolve("checkpoint.next"), cur = dir.resolve("checkpoint");
            deleteTree(next);
            TrainCheckpoint.save(next, t);
            write(next.resolve(POINTS_FILE), points); // last: its presence marks the checkpoint complete
            deleteTree(cur);
            Files.move(next, cur, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void finish(List<ClassificationRun.Point> points) {
        try {
            write(dir.resolve(POINTS_FILE), points);
            deleteTree(dir.resolve("checkpoint"));
            deleteTree(dir.resolve("checkpoint.next"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path f, List<ClassificationRun.Point> points) throws IOException {
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), points);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<ClassificationRun.Point> read(Path f) {
        try {
            return JSON.readValue(f.toFile(), POINTS);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(f + ": " + e.getMessage(), e));
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
