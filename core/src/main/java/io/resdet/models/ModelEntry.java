package io.resdet.models;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One named set of pretrained weights, as torchvision's weight enums describe them: where the file comes from, what
 * network it fits, its classes, its preprocessing and its published metrics.
 *
 * @param name        {@code <arch>.<weights>}, e.g. {@code fasterrcnn_resnet50_fpn.coco_v1}
 * @param task        {@code detection} or {@code classification}
 * @param arch        the network, as {@code --arch} names it
 * @param url         where the file is published; null for weights shipped inside resdet ({@code resource})
 * @param resource    classpath resource of bundled weights, else null
 * @param megabytes   the file's size in MB as torchvision lists it (0 when unknown)
 * @param parameters  the network's parameter count
 * @param numClasses  outputs of the classifier head, background included for detectors
 * @param labels      {@code coco}, {@code voc}, {@code imagenet} or a names list the user picks
 * @param resizeSize  classification preprocessing: resize of the short side (0 for detectors)
 * @param metrics     published metrics, e.g. {@code {"box_map": 37.0}} or {@code {"acc@1": 76.13, "acc@5": 92.862}}
 */
public record ModelEntry(String name, String task, String arch, String url, String resource, double megabytes,
                         long parameters, int numClasses, String labels, int resizeSize, Map<String, Double> metrics) {
    /** torchvision's {@code HASH_REGEX}: the first run of hex digits after a '-' and before a '.' in the file name. */
    private static final Pattern HASH = Pattern.compile("-([a-f0-9]*)\\.");

    /** The file name the weights are published and cached under. */
    public String fileName() {
        if (url == null) return resource.substring(resource.lastIndexOf('/') + 1);
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** The SHA-256 prefix in the file name (torchvision's {@code check_hash} convention), or null if it has none. */
    public static String hashPrefix(String fileName) {
        Matcher m = HASH.matcher(fileName);
        return m.find() && !m.group(1).isEmpty() ? m.group(1) : null;
    }
}
