package io.resdet.analytics;

import java.util.Locale;

/**
 * The point of a track's box that zones and lines test. {@link #BOTTOM_CENTER} (the default) is where a person or
 * vehicle touches the ground, so a zone drawn on the floor holds the people standing on it whatever their height
 * (DeepStream's and supervision's choice); {@link #CENTER} suits objects seen from above or not standing on anything.
 */
public enum Anchor {
    BOTTOM_CENTER, CENTER;

    /** The anchor of box {@code x1, y1, x2, y2} as {@code {x, y}}. */
    public double[] point(double[] box) {
        double x = (box[0] + box[2]) / 2;
        return new double[] {x, this == CENTER ? (box[1] + box[3]) / 2 : box[3]};
    }

    /** The name in a zones file: {@code bottom_center} or {@code center}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The anchor called {@code name} in a zones file, or null. */
    static Anchor ofJsonName(String name) {
        for (Anchor a : values()) if (a.jsonName().equals(name)) return a;
        return null;
    }
}
