package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A broker outage during {@code produce}: frames wait and go out in order when it is back; a long one is one clear line. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FrameProducerTest {
    static TestBroker kafka;

    @BeforeAll
    static void up() throws Exception {
        kafka = TestBrokers.start();
        kafka.createTopics(1, "outage-short", "outage-long");
    }

    @AfterAll
    static void down() throws Exception {
        if (kafka != null) kafka.close();
    }

    @Test
    void framesSentDuringAnOutageArriveInOrderAfterIt() throws Exception {
        List<String> notices = new CopyOnWriteArrayList<>();
        SyntheticSource src = new SyntheticSource(32, 32, -1, 3);
        try (FrameProducer p = new FrameProducer(kafka.bootstrap(), "outage-short", Map.of(), Duration.ofSeconds(90), notices::add)) {
            for (int i = 0; i < 10; i++) p.send("cam", i, System.currentTimeMillis(), src.next());
            p.flush();
            kafka.stop();
            // send() may block while the broker is away (that is the waiting), so the broker comes back from elsewhere.
            Thread restarter = new Thread(() -> {
                try {
                    Thread.sleep(9_000);
                    kafka.restart();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            restarter.start();
            for (int i = 10; i < 20; i++) {
                p.send("cam", i, System.currentTimeMillis(), src.next());
                Thread.sleep(300);
            }
            p.flush();
            restarter.join();
            assertEquals(20, p.acknowledged());
        }
        List<Long> frames = new ArrayList<>();
        try (ResultReader r = new ResultReader(kafka.bootstrap(), "outage-short", true, Map.of())) {
            r.read(20, Duration.ofSeconds(60), (ConsumerRecord<String, byte[]> rec) ->
                    frames.add(Long.parseLong(ResultReader.header(rec, Topics.H_FRAME))));
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 20; i++) expected.add(i);
        assertEquals(expected, frames, "every frame once, in order");
        assertEquals(2, notices.size(), notices.toString());
        assertTrue(notices.get(0).matches("broker .* has acknowledged nothing for \\d+ s; retrying for up to 90 s, frames wait in order"),
                notices.get(0));
        assertTrue(notices.get(1).matches("broker .* acknowledges again after \\d+ s"), notices.get(1));
    }

    @Test
    void anOutageLongerThanTheAllowanceIsOneClearError() throws Exception {
        SyntheticSource src = new SyntheticSource(32, 32, -1, 4);
        try (FrameProducer p = new FrameProducer(kafka.bootstrap(), "outage-long", Map.of("request.timeout.ms", "1000"),
                Duration.ofSeconds(3), n -> {})) {
            p.send("cam", 0, System.currentTimeMillis(), src.next());
            p.flush();
            kafka.stop();
            try {
                p.send("cam", 1, System.currentTimeMillis(), src.next());
                IllegalStateException e = assertThrows(IllegalStateException.class, p::flush);
                assertTrue(e.getMessage().startsWith("broker " + kafka.bootstrap() + " unreachable for more than 3 s; 1 frames were acknowledged before"),
                        e.getMessage());
            } finally {
                kafka.restart();
            }
        }
    }
}
