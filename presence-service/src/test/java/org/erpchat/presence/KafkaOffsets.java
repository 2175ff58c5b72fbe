package org.erpchat.presence;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.erpchat.testsupport.SharedInfrastructure;

/** Reads end offsets and consumer group positions, to know when everything published has been processed. */
final class KafkaOffsets {

    static final String GROUP = "presence-service";

    private static final Admin ADMIN = Admin.create(Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            SharedInfrastructure.get().kafkaBootstrapServers()));

    private KafkaOffsets() {}

    static Map<TopicPartition, Long> endOffsets(String topic) {
        try {
            int partitions = ADMIN.describeTopics(java.util.List.of(topic))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            ADMIN.listOffsets(request)
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records of {@code topic} the group has not committed yet (processed records are committed after each poll). */
    static long lag(String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = ADMIN.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> end : endOffsets(topic).entrySet()) {
                OffsetAndMetadata position = committed.get(end.getKey());
                lag += end.getValue() - (position == null ? 0 : position.offset());
            }
            return lag;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
