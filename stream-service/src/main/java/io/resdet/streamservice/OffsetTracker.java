package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Which offsets may be committed: per partition, the offsets handed out in poll order, and those whose output the
 * broker acknowledged. The committable position is one past the longest acknowledged prefix, so a frame is never
 * committed before its result is durable even when acknowledgements arrive out of order (results land on other
 * partitions). Offsets need not be contiguous numbers: transaction markers and compaction leave gaps.
 *
 * <p>{@link #consumed} and {@link #committable} run on the consumer thread; {@link #acked} on producer callbacks.
 */
public final class OffsetTracker {
    private final Map<TopicPartition, ArrayDeque<Long>> pending = new HashMap<>();
    private final Map<TopicPartition, ConcurrentSkipListSet<Long>> acked = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    public void consumed(TopicPartition tp, long offset) {
        pending.computeIfAbsent(tp, k -> new ArrayDeque<>()).addLast(offset);
    }

    public void acked(TopicPartition tp, long offset) {
        acked.computeIfAbsent(tp, k -> new ConcurrentSkipListSet<>()).add(offset);
    }

    /** New commit positions since the last call (empty when nothing advanced). */
    public Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Map.Entry<TopicPartition, ArrayDeque<Long>> e : pending.entrySet()) {
            ArrayDeque<Long> q = e.getValue();
            ConcurrentSkipListSet<Long> done = acked.get(e.getKey());
            if (done == null) continue;
            long last = -1;
            while (!q.isEmpty() && done.remove(q.peekFirst())) last = q.pollFirst();
            if (last >= 0) {
                committed.put(e.getKey(), last + 1);
                out.put(e.getKey(), new OffsetAndMetadata(last + 1));
            }
        }
        return out;
    }

    /** Frames handed out but not yet committable. */
    public int outstanding() {
        int n = 0;
        for (ArrayDeque<Long> q : pending.values()) n += q.size();
        return n;
    }

    /** Forgets a partition this consumer no longer owns (its new owner resumes from the last commit). */
    public void forget(TopicPartition tp) {
        pending.remove(tp);
        acked.remove(tp);
        committed.remove(tp);
    }
}
