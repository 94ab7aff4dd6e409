package io.resdet.streamservice;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.resdet.detector.Detection;

import java.util.List;

/** The {@code resdet.detections/v2} result document (schema: {@code resdet-detections-v2.schema.json}). */
public final class ResultJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {}

    public static ObjectNode detections(String stream, long frame, long captureTs, int width, int height, String model,
                                        double latencyMs, List<Detection> dets) {
        ObjectNode o = header(stream, frame, captureTs, model, latencyMs);
        o.put("width", width);
        o.put("height", height);
        o.set("detections", array(dets));
        return o;
    }

    /** A frame too old to be worth detecting ({@code --max-lag-ms}): reported so consumers see no gap. */
    public static ObjectNode skipped(String stream, long frame, long captureTs, String model, double lagMs) {
        ObjectNode o = header(stream, frame, captureTs, model, 0);
        o.put("skipped", true);
        o.put("lagMs", round(lagMs));
        o.set("detections", MAPPER.createArrayNode());
        return o;
    }

    /** Decoder warnings on a frame that still got a result (a truncated JPEG is decoded with grey filling the rest). */
    public static void warnings(ObjectNode o, List<String> warnings) {
        ArrayNode a = o.putArray("warnings");
        for (String w : warnings) a.add(w);
    }

    public static ArrayNode array(List<Detection> dets) {
        ArrayNode arr = MAPPER.createArrayNode();
        for (Detection d : dets) {
            ObjectNode j = arr.addObject();
            // The detector's float32 values, written as the shortest decimals that read back to the same floats: a
            // consumer that evaluates results (eval run --via-kafka) gets exactly what a local run writes.
            ArrayNode box = j.putArray("box");
            box.add(d.x1()).add(d.y1()).add(d.x2()).add(d.y2());
            j.put("label", d.label());
            j.put("name", d.name());
            j.put("score", d.score());
        }
        return arr;
    }

    private static ObjectNode header(String stream, long frame, long captureTs, String model, double latencyMs) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("schema", Topics.SCHEMA);
        o.put("stream", stream);
        o.put("frame", frame);
        o.put("captureTs", captureTs);
        o.put("model", model);
        o.put("latencyMs", round(latencyMs));
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    public static byte[] bytes(ObjectNode o) {
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
