package io.resdet.eval.voc;

/** One annotated object: inclusive pixel box {@code [x1, y1, x2, y2]} as in the VOC XML files. */
public record VocObject(String cls, double x1, double y1, double x2, double y2, boolean difficult) {
}
