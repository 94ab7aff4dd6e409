package io.resdet.backbone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The 1000 ImageNet-1k classes in torchvision's index order: readable names and WordNet ids. */
public final class ImageNetLabels {
    private static final List<String> NAMES = load("imagenet_classes.txt");
    private static final List<String> WNIDS = load("imagenet_wnids.txt");
    private static final Map<String, Integer> BY_WNID = new HashMap<>();

    static {
        for (int i = 0; i < WNIDS.size(); i++) BY_WNID.put(WNIDS.get(i), i);
    }

    private ImageNetLabels() {}

    public static List<String> names() {
        return NAMES;
    }

    public static String name(int index) {
        return index >= 0 && index < NAMES.size() ? NAMES.get(index) : Integer.toString(index);
    }

    /** The class index of a WordNet id such as {@code n01440764}, or -1. */
    public static int indexOfWnid(String wnid) {
        return BY_WNID.getOrDefault(wnid, -1);
    }

    private static List<String> load(String resource) {
        try (InputStream in = ImageNetLabels.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
