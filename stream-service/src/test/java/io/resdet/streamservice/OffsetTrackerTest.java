package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Commit positions advance only over a prefix of acknowledged offsets, gaps in numbering included. */
class OffsetTrackerTest {
    static final TopicPartition A = new TopicPartition("f", 0), B = new TopicPartition("f", 1);

    @Test
    void commitsOnlyTheAcknowledgedPrefix() {
        OffsetTracker t = new OffsetTracker();
        for (long o : new long[] {10, 11, 13, 14}) t.consumed(A, o); // 12: a transaction marker, never delivered
        t.consumed(B, 0);
        t.acked(A, 11);
        t.acked(A, 13);
        assertEquals(Map.of(), t.committable(), "10 not acknowledged: nothing moves");
        t.acked(A, 10);
        assertEquals(Map.of(A, new OffsetAndMetadata(14)), t.committable(), "10, 11, 13 done: commit 14");
        assertEquals(Map.of(), t.committable(), "nothing new");
        assertEquals(2, t.outstanding());
        t.acked(B, 0);
        t.acked(A, 14);
        assertEquals(Map.of(A, new OffsetAndMetadata(15), B, new OffsetAndMetadata(1)), t.committable());
        assertEquals(0, t.outstanding());
    }

    @Test
    void forgetsRevokedPartitions() {
        OffsetTracker t = new OffsetTracker();
        t.consumed(A, 0);
        t.forget(A);
        t.acked(A, 0); // a late acknowledgement for a partition now owned elsewhere
        assertEquals(Map.of(), t.committable());
        assertEquals(0, t.outstanding());
    }
}
