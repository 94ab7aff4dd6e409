package io.resdet.streamservice;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three streams × 200 frames through a real broker and the running service: 600 results, in order, none lost. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EndToEndTest {
    static TestBroker kafka;

    @BeforeAll
    static void up() throws Exception {
        kafka = TestBrokers.start();
        kafka.createTopics(3, Topics.FRAMES, Topics.RESULTS, Topics.DEAD_LETTERS);
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    @Test
    void threeStreamsOfTwoHundredFramesGiveSixHundredOrderedResults() throws Exception {
        int streams = 3, frames = 200;
        try (StreamService svc = StreamService.start(TestSetup.serviceConfig(kafka.bootstrap()));
             FrameProducer p = new FrameProducer(kafka.bootstrap(), Topics.FRAMES, Map.of())) {
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                String id = "cam-" + s;
                long seed = s;
                Thread t = new Thread(() -> {
                    try {
                        p.run(id, new SyntheticSource(64, 48, frames, seed), 0, null);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                t.start();
                senders.add(t);
            }
            for (Thread t : senders) t.join();

            Map<String, List<Long>> seen = new HashMap<>();
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            try (ResultReader r = new ResultReader(kafka.bootstrap(), Topics.RESULTS, true, Map.of())) {
                r.read(streams * frames, Duration.ofSeconds(240), all::add);
            }
            for (ConsumerRecord<String, byte[]> rec : all) {
                JsonNode j = ResultReader.json(rec);
                assertEquals(rec.key(), j.get("stream").asText(), "result key is the stream id");
                seen.computeIfAbsent(j.get("stream").asText(), k -> new ArrayList<>()).add(j.get("frame").asLong());
            }
            assertEquals(streams * frames, all.size(), "results read");
            assertEquals(Set.of("cam-0", "cam-1", "cam-2"), seen.keySet());
            for (var e : seen.entrySet()) {
                List<Long> expect = new ArrayList<>();
                for (long i = 0; i < frames; i++) expect.add(i);
                assertEquals(expect, e.getValue(), e.getKey() + ": every frame once, in capture order");
            }

            ConsumerRecord<String, byte[]> first = all.get(0);
            JsonNode j = ResultReader.json(first);
            assertEquals(Topics.SCHEMA, j.get("schema").asText());
            assertEquals(64, j.get("width").asInt());
            assertEquals(48, j.get("height").asInt());
            assertTrue(j.get("detections").isArray());
            assertTrue(j.get("model").asText().startsWith("fasterrcnn_resnet18_fpn:"));
            for (JsonNode d : j.get("detections")) {
                assertEquals(4, d.get("box").size());
                assertTrue(d.get("label").asInt() >= 1 && d.get("label").asInt() <= 3, d.toString());
                assertTrue(d.get("score").asDouble() >= 0.3, "score threshold applied: " + d);
            }
            assertEquals("1.0", ResultReader.header(first, "ce_specversion"));
            assertEquals(Topics.CE_TYPE, ResultReader.header(first, "ce_type"));
            assertEquals("application/json", ResultReader.header(first, "content-type"));
            assertNotNull(ResultReader.header(first, "ce_source"));
            assertNotNull(ResultReader.header(first, "ce_time"));
            assertTrue(ResultReader.header(first, "ce_id").startsWith(Topics.FRAMES + "-"));

            Metrics m = svc.metrics();
            assertEquals(600, m.framesIn.sum());
            assertEquals(600, m.resultsOut.sum());
            assertTrue(m.batchSize.count() >= 600 / 4, "micro-batches of at most 4");
        }
    }
}
