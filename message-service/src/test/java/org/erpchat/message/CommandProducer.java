package org.erpchat.message;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.erpchat.events.EventCodec;
import org.erpchat.events.MessageType;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.ChatInfrastructure;

/**
 * Publishes send commands to {@code chat.message-commands} as a gateway does (key = sender), but to a partition the
 * test chooses, so that unrelated senders can be made to share one.
 */
final class CommandProducer implements AutoCloseable {

    private static final EventCodec CODEC = new EventCodec();

    private final KafkaProducer<String, byte[]> producer;

    CommandProducer(ChatInfrastructure infrastructure) {
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Queues the command; records to one partition keep their order. The future gives its offset. */
    Future<RecordMetadata> publish(int partition, SendMessageCommand command) {
        return producer.send(new ProducerRecord<>(
                Topics.MESSAGE_COMMANDS, partition, command.partitionKey(), CODEC.encode(command)));
    }

    /** Waits until everything published so far is in Kafka. */
    void flush() {
        producer.flush();
    }

    static SendMessageCommand privateText(
            long sender, long receiver, String content, String clientMsgId, SendOrigin origin, Instant issuedAt) {
        return new SendMessageCommand(
                sender, receiver, null, MessageType.TEXT, content, null, clientMsgId, origin, issuedAt);
    }

    static SendOrigin origin() {
        return new SendOrigin("gateway-test", "session-" + UUID.randomUUID());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
