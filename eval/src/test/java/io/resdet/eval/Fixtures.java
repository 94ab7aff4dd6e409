package io.resdet.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The reference cases copied from shared/fixtures (see fixtures/README.md), one folder per case. */
public final class Fixtures {
    public static final Path ROOT = Path.of("src", "test", "resources", "fixtures");

    private Fixtures() {
    }

    /** Every case folder under {@code coco-eval} or {@code voc-eval}; new folders are picked up. */
    public static List<Path> cases(String kind) {
        try (Stream<Path> s = Files.list(ROOT.resolve(kind))) {
            List<Path> cases = s.filter(d -> Files.isRegularFile(d.resolve("expected.json"))).sorted().toList();
            if (cases.isEmpty()) throw new IllegalStateException("no fixture cases under " + ROOT.resolve(kind));
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
