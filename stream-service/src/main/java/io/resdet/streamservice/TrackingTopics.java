package io.resdet.streamservice;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates what tracking writes to, before the first frame: the tracker-state topic, compacted (only the latest state
 * of a stream matters) and with as many partitions as the frames topic, because state of frames partition p is kept
 * in its partition p; and the events topic (keyed by stream, any partition count; created with the same). An existing
 * state topic with fewer partitions is refused: some streams' state would have nowhere to go.
 */
final class TrackingTopics {
    private TrackingTopics() {}

    static void ensure(PipelineSettings s) throws Exception {
        TrackingSettings t = s.tracking();
        Properties p = new Properties();
        p.putAll(s.kafka());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, s.instanceId() + "-admin");
        try (Admin a = Admin.create(p)) {
            int partitions;
            try {
                partitions = describe(a, s.framesTopic()).partitions().size();
            } catch (UnknownTopicOrPartitionException e) {
                throw new IllegalStateException("track: the frames topic " + s.framesTopic()
                        + " must exist first (the tracker-state topic takes its partition count)");
            }
            List<NewTopic> create = new ArrayList<>();
            try {
                int have = describe(a, t.tracksTopic()).partitions().size();
                if (have < partitions) {
                    throw new IllegalStateException("tracks-topic " + t.tracksTopic() + " has " + have + " partitions, the frames topic "
                            + s.framesTopic() + " has " + partitions + ": it needs at least as many (state of frames partition p lives in partition p)");
                }
            } catch (UnknownTopicOrPartitionException e) {
                create.add(new NewTopic(t.tracksTopic(), partitions, (short) -1).configs(Map.of("cleanup.policy", "compact")));
            }
            try {
                describe(a, t.eventsTopic());
            } catch (UnknownTopicOrPartitionException e) {
                create.add(new NewTopic(t.eventsTopic(), partitions, (short) -1));
            }
            if (create.isEmpty()) return;
            try {
                a.createTopics(create).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // Another replica may have created them at the same moment.
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
        }
    }

    private static TopicDescription describe(Admin a, String topic) throws Exception {
        try {
            return a.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException u) throw u;
            throw e;
        }
    }
}
