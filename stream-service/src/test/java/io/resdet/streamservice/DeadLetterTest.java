package io.resdet.streamservice;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Poison frames (not an image, too big, a missing or garbled header, no key) go to the dead-letter topic with the
 * reason in headers; the good frames around them still get results, and the old frame gets a "skipped" result.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeadLetterTest {
    static TestBroker kafka;

    @BeforeAll
    static void up() throws Exception {
        kafka = TestBrokers.start();
        kafka.createTopics(1, Topics.FRAMES, Topics.RESULTS, Topics.DEAD_LETTERS);
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    @Test
    void poisonFramesAreDeadLetteredAndTheServiceKeepsGoing() throws Exception {
        var cfg = TestSetup.serviceConfig(kafka.bootstrap()).put("max-frame-bytes", 20_000).put("max-lag-ms", 60_000);
        SyntheticSource src = new SyntheticSource(64, 48, -1, 7);
        long now = System.currentTimeMillis();
        try (StreamService svc = StreamService.start(cfg);
             FrameProducer p = new FrameProducer(kafka.bootstrap(), Topics.FRAMES, Map.of())) {
            p.send("cam", 0, now, src.next());
            p.send("cam", "not an image".getBytes(StandardCharsets.UTF_8), FrameProducer.headers(1, now, "image/jpeg"));
            p.send("cam", new byte[30_000], FrameProducer.headers(2, now, "image/jpeg"));
            RecordHeaders noFrame = new RecordHeaders();
            noFrame.add(Topics.H_CONTENT_TYPE, "image/jpeg".getBytes(StandardCharsets.UTF_8));
            p.send("cam", src.next().bytes(), noFrame);
            p.send("cam", src.next().bytes(), FrameProducer.headers(0, now, "image/jpeg")).get();
            RecordHeaders garbled = FrameProducer.headers(0, now, "image/jpeg");
            garbled.remove(Topics.H_FRAME);
            garbled.add(Topics.H_FRAME, "seven".getBytes(StandardCharsets.UTF_8));
            p.send("cam", src.next().bytes(), garbled);
            p.send(null, src.next().bytes(), FrameProducer.headers(6, now, "image/jpeg"));
            p.send("cam", 7, now - 3_600_000, src.next()); // an hour old: skipped, not detected
            p.send("cam", 8, now, src.next());
            p.flush();

            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>(), results = new ArrayList<>();
            try (ResultReader r = new ResultReader(kafka.bootstrap(), Topics.DEAD_LETTERS, true, Map.of())) {
                r.read(5, Duration.ofSeconds(120), dead::add);
            }
            try (ResultReader r = new ResultReader(kafka.bootstrap(), Topics.RESULTS, true, Map.of())) {
                r.read(4, Duration.ofSeconds(120), results::add);
            }
            Map<String, String> kinds = new HashMap<>();
            for (var d : dead) {
                kinds.put(ResultReader.header(d, Topics.H_SOURCE), ResultReader.header(d, Topics.H_ERROR_KIND) + ": " + ResultReader.header(d, Topics.H_ERROR));
            }
            assertEquals(5, dead.size(), kinds.toString());
            assertTrue(kinds.get("resdet.frames-0@1").startsWith("undecodable: cam#1: "), kinds.toString());
            assertTrue(kinds.get("resdet.frames-0@2").startsWith("oversized: 30000 bytes > max-frame-bytes 20000"), kinds.toString());
            assertEquals("malformed: missing header resdet.frame", kinds.get("resdet.frames-0@3"));
            assertEquals("malformed: header resdet.frame is not a non-negative integer: 'seven'", kinds.get("resdet.frames-0@5"));
            assertEquals("malformed: record has no key (the stream id)", kinds.get("resdet.frames-0@6"));
            assertArrayEquals("not an image".getBytes(StandardCharsets.UTF_8), dead.get(0).value(), "the dead letter keeps the frame");
            assertEquals("image/jpeg", ResultReader.header(dead.get(0), Topics.H_CONTENT_TYPE), "and its headers");

            List<Long> frames = new ArrayList<>();
            for (var r : results) frames.add(ResultReader.json(r).get("frame").asLong());
            assertEquals(List.of(0L, 0L, 7L, 8L), frames, "good frames around the poison ones still get results, in order");
            JsonNode skipped = ResultReader.json(results.get(2));
            assertTrue(skipped.path("skipped").asBoolean(), skipped.toString());
            assertTrue(skipped.get("lagMs").asDouble() >= 3_600_000, skipped.toString());
            assertEquals(0, skipped.get("detections").size());
            assertTrue(svc.pipeline().healthy());
            assertEquals(5, svc.metrics().deadLetters.sum());
            assertEquals(1, svc.metrics().skipped.sum());
        }
    }
}
