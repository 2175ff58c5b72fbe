package org.erpchat.presence;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.erpchat.testsupport.SharedInfrastructure;
import org.erpchat.testsupport.TopicEnds;

/** Reads end offsets and consumer group positions, to know when everything published has been processed. */
final class KafkaOffsets {

    static final String GROUP = "presence-service";

    private static final Admin ADMIN = Admin.create(Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            SharedInfrastructure.get().kafkaBootstrapServers()));

    private KafkaOffsets() {}

    static Map<TopicPartition, Long> endOffsets(String topic) {
        return TopicEnds.of(ADMIN, topic);
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
