package io.resdet.streamservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances in one group split the partitions; when one leaves mid-run it finishes and commits its work, the
 * other takes over, and every frame ends with a result, each stream's first results in frame order.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class RebalanceTest {
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
    void instancesSplitPartitionsAndALeaverLosesNothing() throws Exception {
        int streams = 6, frames = 20;
        JsonObject base = TestSetup.serviceConfig(kafka.bootstrap()).put("workers", 1);
        StreamService b;
        try (StreamService a = StreamService.start(base.copy().put("instance-id", "a"))) {
            b = StreamService.start(base.copy().put("instance-id", "b"));
            try (FrameProducer p = new FrameProducer(kafka.bootstrap(), Topics.FRAMES, Map.of())) {
                for (int s = 0; s < streams; s++) {
                    SyntheticSource src = new SyntheticSource(64, 48, frames, s);
                    for (int i = 0; i < frames; i++) p.send("s" + s, i, System.currentTimeMillis(), src.next());
                }
                p.flush();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(a.pipeline().hasAssignment() && b.pipeline().hasAssignment() && a.metrics().resultsOut.sum() + b.metrics().resultsOut.sum() > 10)
                    && System.nanoTime() < deadline) Thread.sleep(100);
            assertTrue(a.pipeline().hasAssignment() && b.pipeline().hasAssignment(), "both instances own partitions");
        } // a leaves: drains, commits, its partitions move to b
        try {
            Map<String, List<Long>> seen = new HashMap<>();
            try (ResultReader r = new ResultReader(kafka.bootstrap(), Topics.RESULTS, true, Map.of())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
                while (System.nanoTime() < deadline && distinct(seen) < streams * frames) {
                    r.read(0, Duration.ofSeconds(2), rec -> {
                        JsonNode j = ResultReader.json(rec);
                        seen.computeIfAbsent(j.get("stream").asText(), k -> new ArrayList<>()).add(j.get("frame").asLong());
                    });
                }
            }
            assertEquals(streams * frames, distinct(seen), "every frame has a result");
            for (var e : seen.entrySet()) {
                List<Long> firsts = e.getValue().stream().distinct().toList();
                List<Long> expect = new ArrayList<>();
                for (long i = 0; i < frames; i++) expect.add(i);
                assertEquals(expect, firsts, e.getKey() + ": first results in frame order");
            }
        } finally {
            b.close();
        }
    }

    static long distinct(Map<String, List<Long>> seen) {
        return seen.values().stream().mapToLong(l -> l.stream().distinct().count()).sum();
    }
}
