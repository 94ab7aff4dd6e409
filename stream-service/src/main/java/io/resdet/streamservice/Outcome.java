package io.resdet.streamservice;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What one frame record became: the record to publish for it, and what kind of answer that is. {@code live} is the
 * dashboard's copy of a detected frame (null otherwise).
 */
record Outcome(ConsumerRecord<String, byte[]> in, ProducerRecord<String, byte[]> out, Kind kind,
               DetectionPipeline.LiveFrame live) {
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
