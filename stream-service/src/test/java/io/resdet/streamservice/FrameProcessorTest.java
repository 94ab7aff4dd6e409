package io.resdet.streamservice;

import io.resdet.image.HostileImages;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The detector stage on the tiny test model, no broker: one outcome per record, in order, whatever the records are;
 * a frame the network cannot take (valid 3000x2) dead-letters alone and the rest of its batch is detected.
 */
class FrameProcessorTest {
    static FrameDetector detector;
    static final Metrics METRICS = new Metrics();

    @BeforeAll
    static void load() throws Exception {
        JsonObject cfg = TestSetup.serviceConfig("unused:1");
        detector = Models.fromConfig(cfg.getJsonObject("model"));
    }

    @AfterAll
    static void close() {
        if (detector != null) detector.close();
    }

    static ConsumerRecord<String, byte[]> record(long offset, String key, byte[] value, long frame) {
        RecordHeaders h = FrameProducer.headers(frame, System.currentTimeMillis(), "image/jpeg");
        return new ConsumerRecord<>("frames", 0, offset, 0L, TimestampType.CREATE_TIME, -1, -1, key, value, h, Optional.empty());
    }

    @Test
    void oneOutcomePerRecordInOrderAndFailuresStayAlone() throws Exception {
        SyntheticSource src = new SyntheticSource(96, 64, -1, 5);
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        batch.add(record(0, "cam", src.next().bytes(), 0));
        batch.add(record(1, "cam", HostileSoakTest.WIDE_PNG, 1));
        batch.add(record(2, "cam", HostileImages.pngDeclaring(30000, 30000), 2));
        batch.add(record(3, "cam", HostileImages.truncatedJpeg(320, 240), 3));
        batch.add(record(4, null, src.next().bytes(), 4));
        batch.add(record(5, "cam", src.next().bytes(), 5));
        FrameProcessor p = new FrameProcessor(new FrameDecoder(1 << 20, 4096L * 4096), detector,
                new OutputRecords("results", "dlq", "g", 1 << 20), METRICS, 0);
        List<Outcome> out = p.process(batch);
        assertEquals(6, out.size());
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i, out.get(i).in().offset(), "in order");
            var kind = out.get(i).out().headers().lastHeader(Topics.H_ERROR_KIND);
            kinds.add(out.get(i).kind() + (kind == null ? "" : " " + new String(kind.value(), StandardCharsets.UTF_8)));
        }
        assertEquals(List.of("RESULT", "DEAD detect-error", "DEAD oversized", "RESULT", "DEAD malformed", "RESULT"), kinds);
        String why = new String(out.get(1).out().headers().lastHeader(Topics.H_ERROR).value(), StandardCharsets.UTF_8);
        assertTrue(why.contains("Kernel size can't be greater than actual input size"), why);
        // The valid frames of the failed batch were detected one by one: same detections as alone.
        var alone = detector.detect(List.of(io.resdet.image.Images.decode(batch.get(0).value(), "f0")));
        assertEquals(alone.get(0).size(), ResultReaderJson.detections(out.get(0)).size());
        assertTrue(out.get(3).live() != null && out.get(3).live().result().has("warnings"));
    }

    /** The result document of an outcome. */
    static final class ResultReaderJson {
        static com.fasterxml.jackson.databind.JsonNode detections(Outcome o) throws Exception {
            return ResultJson.MAPPER.readTree(o.out().value()).get("detections");
        }
    }
}
