package io.resdet.streamservice;

/** Why one frame record gets a dead letter instead of a result: a kind (a metric label) and a one-line reason. */
final class Reject extends Exception {
    final String kind;

    Reject(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }
}
