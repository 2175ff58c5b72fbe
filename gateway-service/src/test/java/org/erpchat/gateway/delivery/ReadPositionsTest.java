package org.erpchat.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Partitions Kafka takes away and gives back continue where the listener was; the others are returned as unread. */
class ReadPositionsTest {

    private final ReadPositions positions = new ReadPositions();
    private final List<String> seeks = new ArrayList<>();
    private final ReadPositions.Seek seek =
            (topic, partition, offset) -> seeks.add(topic + "-" + partition + "@" + offset);

    @Test
    void aFirstAssignmentSeeksNowhereAndReturnsThePartitionsAsUnread() {
        List<TopicPartition> unread = positions.resume(List.of(new TopicPartition("events", 0)), seek);

        assertThat(seeks).isEmpty();
        assertThat(unread).containsExactly(new TopicPartition("events", 0));
    }

    @Test
    void partitionsGivenBackContinueAfterTheLastHandledRecord() {
        positions.handled(record("events", 0, 41));
        positions.handled(record("events", 0, 42));
        positions.handled(record("events", 2, 7));

        List<TopicPartition> unread = positions.resume(
                List.of(
                        new TopicPartition("events", 0),
                        new TopicPartition("events", 1),
                        new TopicPartition("events", 2)),
                seek);

        assertThat(seeks).containsExactlyInAnyOrder("events-0@43", "events-2@8");
        assertThat(unread).containsExactly(new TopicPartition("events", 1));
    }

    private static ConsumerRecord<String, String> record(String topic, int partition, long offset) {
        return new ConsumerRecord<>(topic, partition, offset, "key", "value");
    }
}
