package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.erpchat.message.CommandProducer.origin;
import static org.erpchat.message.CommandProducer.privateText;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;

/**
 * Offsets of stored commands are committed every {@code commands.commit-interval}, not after every poll, and they are
 * committed without another command coming to drive the consumer's loop.
 */
class CommandCommitsTest extends MessageServiceTest {

    private static final int PARTITION = 1;

    @Test
    void theOffsetOfALoneStoredCommandIsCommittedWithinTheInterval() throws Exception {
        long sender = knownUser();
        long receiver = knownUser();
        SendOrigin origin = origin();
        RecordMetadata sent;
        try (CommandProducer commands = new CommandProducer(infrastructure);
                KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            sent = commands.publish(PARTITION, privateText(sender, receiver, "alone", "lone-1", origin, Instant.now()))
                    .get();
            events.awaitEvent(MessageCreated.class, created -> origin.equals(created.origin()));
        }

        TopicPartition partition = new TopicPartition(Topics.MESSAGE_COMMANDS, PARTITION);
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("message-service")
                        .partitionsToOffsetAndMetadata()
                        .get();
                assertThat(committed.get(partition)).isNotNull();
                assertThat(committed.get(partition).offset()).isGreaterThan(sent.offset());
            });
        }
    }
}
