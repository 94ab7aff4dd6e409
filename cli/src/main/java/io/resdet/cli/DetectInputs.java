package io.resdet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** What {@code detect}'s INPUT arguments expand to: image files and video files, in a stable order. */
final class DetectInputs {
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");
    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "m4v", "avi", "mov", "mkv", "webm", "mpg", "mpeg", "wmv", "flv", "ts");

    /**
     * One input. {@code outName} is where its annotation goes under --out: the path relative to the folder
     * argument it was found in (so same-named files in different subfolders do not collide), or the bare name.
     */
    record Input(Path file, Path outName, boolean video) {}

    private DetectInputs() {}

    /**
     * Files are taken as given (a missing or unreadable one fails later, with the others still processed);
     * folders are searched recursively for images, sorted by path.
     */
    static List<Input> expand(List<Path> args) throws IOException {
        List<Input> out = new ArrayList<>();
        for (Path a : args) {
            if (Files.isDirectory(a)) {
                try (Stream<Path> s = Files.walk(a)) {
                    for (Path f : s.filter(Files::isRegularFile).filter(p -> IMAGE_EXTENSIONS.contains(ext(p))).sorted().toList()) {
                        out.add(new Input(f, a.relativize(f), false));
                    }
                }
            } else {
                out.add(new Input(a, a.getFileName(), VIDEO_EXTENSIONS.contains(ext(a))));
            }
        }
        return out;
    }

    static String ext(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot <= 0 ? n : n.substring(0, dot);
    }
}
