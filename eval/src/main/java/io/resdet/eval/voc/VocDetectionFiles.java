package io.resdet.eval.voc;

import io.resdet.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a class's detection file in a folder by the devkit's naming. */
public final class VocDetectionFiles {
    private VocDetectionFiles() {
    }

    /**
     * {@code comp4_det_<set>_<class>.txt} when present, else the single file whose name ends in
     * {@code <class>.txt} and not in a longer class name of {@code classes} (so {@code bobcat.txt}
     * does not count for {@code cat} when {@code bobcat} is a class). Empty when there is none.
     */
    public static Optional<Path> find(Path dir, String set, String cls, List<String> classes) {
        if (!Files.isDirectory(dir)) throw new EvalInputException(dir + ": detections folder does not exist");
        Path devkit = dir.resolve("comp4_det_" + set + "_" + cls + ".txt");
        if (Files.isRegularFile(devkit)) return Optional.of(devkit);
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p) || !name.endsWith(cls + ".txt")) continue;
                boolean longer = classes.stream().anyMatch(c -> c.length() > cls.length() && c.endsWith(cls) && name.endsWith(c + ".txt"));
                if (!longer) hits.add(p);
            }
        } catch (IOException e) {
            throw new EvalInputException(dir + ": cannot list detections folder: " + e.getMessage());
        }
        if (hits.size() > 1) {
            hits.sort(null);
            throw new EvalInputException(dir + ": several detection files for class '" + cls + "': " + hits.get(0).getFileName()
                    + ", " + hits.get(1).getFileName() + " (name one comp4_det_" + set + "_" + cls + ".txt)");
        }
        return hits.stream().findFirst();
    }
}
