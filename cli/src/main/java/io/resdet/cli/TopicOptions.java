package io.resdet.cli;

import io.resdet.streamservice.Topics;
import picocli.CommandLine.Option;

/**
 * The Kafka topics, one option each and the same name everywhere: {@code --frames-topic} (images in),
 * {@code --results-topic} (detections out), {@code --dlq-topic} (rejected frames). produce and consume used to
 * call theirs {@code --topic}; that spelling stays as a hidden alias there. Unset values are null so that serve's
 * config file and environment still apply; {@code frames()} and friends give the default.
 */
final class TopicOptions {
    private TopicOptions() {}

    static final class Frames {
        @Option(names = "--frames-topic", paramLabel = "TOPIC", description = "Topic the frames go to (default: " + Topics.FRAMES + ").")
        String topic;

        String get() {
            return topic != null ? topic : Topics.FRAMES;
        }
    }

    static final class Results {
        @Option(names = "--results-topic", paramLabel = "TOPIC", description = "Topic the detection results go to (default: " + Topics.RESULTS + ").")
        String topic;

        String get() {
            return topic != null ? topic : Topics.RESULTS;
        }
    }

    static final class DeadLetters {
        @Option(names = "--dlq-topic", paramLabel = "TOPIC", description = "Topic rejected frames go to (default: " + Topics.DEAD_LETTERS + ").")
        String topic;

        String get() {
            return topic != null ? topic : Topics.DEAD_LETTERS;
        }
    }
}
