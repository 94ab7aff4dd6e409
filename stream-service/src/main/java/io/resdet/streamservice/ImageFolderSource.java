package io.resdet.streamservice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The JPEG/PNG files of a folder in name order, sent as they are (no re-encoding). */
public final class ImageFolderSource implements FrameSource {
    private final List<Path> files;
    private final boolean loop;
    private int index;
    private long served;
    private final long limit;

    /** {@code limit} < 0: each file once (or forever when {@code loop}). */
    public ImageFolderSource(Path dir, boolean loop, long limit) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": not a folder");
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> type(p) != null).sorted().toList();
        }
        if (files.isEmpty()) throw new IOException(dir + ": no .jpg, .jpeg or .png files");
        this.loop = loop;
        this.limit = limit;
    }

    static String type(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) return "image/jpeg";
        if (n.endsWith(".png")) return "image/png";
        return null;
    }

    @Override
    public long size() {
        if (limit >= 0) return loop ? limit : Math.min(limit, files.size());
        return loop ? -1 : files.size();
    }

    @Override
    public Frame next() throws IOException {
        if (limit >= 0 && served >= limit) return null;
        if (index >= files.size()) {
            if (!loop) return null;
            index = 0;
        }
        Path p = files.get(index++);
        served++;
        try {
            return new Frame(Files.readAllBytes(p), type(p));
        } catch (IOException e) {
            throw new IOException(p + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
