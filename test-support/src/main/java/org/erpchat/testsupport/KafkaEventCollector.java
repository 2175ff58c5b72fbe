package org.erpchat.testsupport;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.EventCodec;
import org.erpchat.events.EventDecodingException;

/**
 * A real Kafka consumer for assertions: it reads the given topics from the moment it is created (its partitions are
 * assigned and positioned before the constructor returns) and keeps every record, decoded where possible.
 */
public final class KafkaEventCollector implements AutoCloseable {

    /** A record as it was on the topic: key, raw value, headers, and the decoded event when the value is one. */
    public record Received(
            String topic, int partition, long offset, String key, byte[] value, ChatEvent event, Headers headers) {

        /** The last value of header {@code name} as UTF-8 text, or null when the record has no such header. */
        public String header(String name) {
            Header header = headers.lastHeader(name);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    }

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final EventCodec codec = new EventCodec();
    private final Thread poller;
    private volatile boolean running = true;

    private KafkaEventCollector(String bootstrapServers, List<String> topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-collector-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
        consumer.subscribe(topics);
        await().atMost(DEFAULT_WAIT).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(this::keep);
            return !consumer.assignment().isEmpty();
        });
        // Resolve "latest" now, so that everything published after this constructor returns is seen.
        consumer.assignment().forEach(consumer::position);
        poller = new Thread(this::pollLoop, "kafka-event-collector");
        poller.setDaemon(true);
        poller.start();
    }

    /** Collects what is published to {@code topics} from now on. */
    public static KafkaEventCollector fromNow(String bootstrapServers, String... topics) {
        return new KafkaEventCollector(bootstrapServers, List.of(topics));
    }

    public static KafkaEventCollector fromNow(ChatInfrastructure infrastructure, String... topics) {
        return fromNow(infrastructure.kafkaBootstrapServers(), topics);
    }

    public List<Received> records() {
        return List.copyOf(received);
    }

    public List<ChatEvent> events() {
        List<ChatEvent> events = new ArrayList<>();
        for (Received record : received) {
            if (record.event() != null) {
                events.add(record.event());
            }
        }
        return events;
    }

    public <T extends ChatEvent> List<T> events(Class<T> type) {
        return events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends ChatEvent> List<T> events(Class<T> type, Predicate<? super T> filter) {
        return events(type).stream().filter(filter).toList();
    }

    /** Waits until {@code count} events of the type match, and returns them in the order they were read. */
    public <T extends ChatEvent> List<T> awaitEvents(Class<T> type, Predicate<? super T> filter, int count) {
        return awaitEvents(type, filter, count, DEFAULT_WAIT);
    }

    public <T extends ChatEvent> List<T> awaitEvents(
            Class<T> type, Predicate<? super T> filter, int count, Duration atMost) {
        await().atMost(atMost).until(() -> events(type, filter).size() >= count);
        return events(type, filter);
    }

    public <T extends ChatEvent> T awaitEvent(Class<T> type, Predicate<? super T> filter) {
        return awaitEvents(type, filter, 1).get(0);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollLoop() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(100)).forEach(this::keep);
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void keep(ConsumerRecord<String, byte[]> record) {
        ChatEvent event;
        try {
            event = codec.decode(record.value());
        } catch (EventDecodingException e) {
            event = null;
        }
        received.add(new Received(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                event,
                record.headers()));
    }
}
