package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;

/**
 * What one frame record became: the record to publish for it, and what kind of answer that is. {@code live} is the
 * dashboard's copy of a detected frame (null otherwise). {@code extras}: records that belong to this frame's answer
 * and are published with it (zone events, the stream's tracker state): the frame counts as answered, and its offset
 * may be committed, only once they are all acknowledged too.
 */
record Outcome(ConsumerRecord<String, byte[]> in, ProducerRecord<String, byte[]> out, Kind kind,
               DetectionPipeline.LiveFrame live, List<ProducerRecord<String, byte[]>> extras) {
    Outcome(ConsumerRecord<String, byte[]> in, ProducerRecord<String, byte[]> out, Kind kind, DetectionPipeline.LiveFrame live) {
        this(in, out, kind, live, List.of());
    }

    /** The same answer with another main record and extras (the tracking stage adds track ids, events, state). */
    Outcome with(ProducerRecord<String, byte[]> newOut, List<ProducerRecord<String, byte[]>> newExtras) {
        return new Outcome(in, newOut, kind, live, List.copyOf(newExtras));
    }

    enum Kind {
        /** Detections on the results topic. */
        RESULT,
        /** A "skipped" document on the results topic: the frame was older than max-lag-ms. */
        SKIPPED,
        /** The frame with why it was rejected, on the dead-letter topic. */
        DEAD,
        /** A dead letter with only why, sent after Kafka refused the fuller record. */
        STRIPPED
    }

    boolean isResult() {
        return kind == Kind.RESULT || kind == Kind.SKIPPED;
    }
}
