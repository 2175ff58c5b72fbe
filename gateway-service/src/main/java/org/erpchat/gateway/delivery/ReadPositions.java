package org.erpchat.gateway.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

/**
 * Where this gateway's listeners are in each partition they read, kept in memory instead of committed to Kafka.
 *
 * <p>A gateway's consumer groups are its own for one run (docs/gateway-service.md), so no other consumer ever starts
 * from their offsets, and committing them after every poll cost a round trip per message on the listener thread and an
 * offset write in the broker (docs/benchmarks.md section 6, "offset commits"). Only one situation needs a position
 * within the run: Kafka taking the partitions away and giving them back (the member's session expired while Kafka was
 * frozen), after which the consumer would start from a committed offset or, having none, from the run's start and read
 * again what it had handled. The listeners then {@linkplain #resume continue} from here.
 */
@Component
class ReadPositions {

    /** Moves a consumer in a partition: {@code ConsumerSeekCallback::seek}. */
    @FunctionalInterface
    interface Seek {
        void to(String topic, int partition, long offset);
    }

    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();

    /** The record was routed or dead-lettered: it need not be read again. */
    void handled(ConsumerRecord<?, ?> record) {
        next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
    }

    /**
     * On (re)assignment: partitions read before continue after their last handled record. Returns the others, which
     * this run has never read.
     */
    List<TopicPartition> resume(Collection<TopicPartition> assigned, Seek seek) {
        List<TopicPartition> unread = new ArrayList<>();
        for (TopicPartition partition : assigned) {
            Long position = next.get(partition);
            if (position != null) {
                seek.to(partition.topic(), partition.partition(), position);
            } else {
                unread.add(partition);
            }
        }
        return unread;
    }
}
