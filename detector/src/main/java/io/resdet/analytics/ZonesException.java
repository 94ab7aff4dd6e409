package io.resdet.analytics;

/**
 * A zones file (or snapshot) that cannot be used, as one line naming the file and the JSON path of what is wrong,
 * e.g. {@code zones.json: streams.cam-2.zones[0].polygon: needs at least 3 points}. An
 * {@link IllegalArgumentException} so callers that only know "bad argument" still report it.
 */
public final class ZonesException extends IllegalArgumentException {
    public ZonesException(String message) {
        super(message);
    }
}
