package org.erpchat.presence;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.ChatEventSerializer;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.SharedInfrastructure;

/** Publishes to chat.connection-events the way gateways do: a real Kafka producer, keyed by the event's key. */
final class TestEvents {

    private static final KafkaProducer<String, ChatEvent> EVENTS =
            new KafkaProducer<>(config(), new StringSerializer(), new ChatEventSerializer());
    private static final KafkaProducer<String, byte[]> RAW =
            new KafkaProducer<>(config(), new StringSerializer(), new ByteArraySerializer());

    private TestEvents() {}

    static void publish(ChatEvent event) {
        await(EVENTS.send(new ProducerRecord<>(Topics.CONNECTION_EVENTS, event.partitionKey(), event)));
    }

    static void publishRaw(String key, byte[] value) {
        await(RAW.send(new ProducerRecord<>(Topics.CONNECTION_EVENTS, key, value)));
    }

    private static void await(Future<RecordMetadata> send) {
        try {
            send.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish a test event", e);
        }
    }

    private static Map<String, Object> config() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.get().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                0);
    }
}
