package org.erpchat.gateway.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.erpchat.events.Topics;
import org.erpchat.gateway.config.GatewayIdentity;
import org.erpchat.gateway.events.EventPublisher;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * What becomes of a record the gateway's listeners cannot read or route: it is counted, logged (once, then with a
 * count) and written to {@code <topic>.dlt} with the same headers every service's dead letters carry (original topic,
 * partition, offset, exception) plus {@value #GATEWAY_HEADER}, this gateway's id. Every gateway reads every partition,
 * so each of N gateways writes its own copy; the header tells them apart. Nothing is retried: every user on this
 * gateway would wait.
 *
 * <p>Spring's recoverer builds the dead letter (for an unreadable record, its original bytes); sending it is only
 * queued on the {@link EventPublisher}, so the listener thread never waits for the producer. The template given to the
 * superclass is never used to send.
 */
@Component
class DeadLetters extends DeadLetterPublishingRecoverer {

    /** The header naming the gateway instance that wrote a dead letter. */
    static final String GATEWAY_HEADER = "chat-gateway-id";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final EventPublisher publisher;
    private final MeterRegistry meters;
    private final ReadPositions positions;
    private final ConcurrentHashMap<String, FaultLog> faults = new ConcurrentHashMap<>();
    /** Per topic, when the last unreadable record came (epoch millis). */
    private final ConcurrentHashMap<String, Long> lastFailures = new ConcurrentHashMap<>();

    /** How long without an unreadable record ends a run of them in the log. */
    private static final Duration QUIET = Duration.ofSeconds(60);

    DeadLetters(
            KafkaOperations<?, ?> kafkaTemplate,
            EventPublisher publisher,
            GatewayIdentity identity,
            MeterRegistry meters,
            ReadPositions positions) {
        super(kafkaTemplate, (record, failure) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
        this.publisher = publisher;
        this.meters = meters;
        this.positions = positions;
        // Asking the broker for the topic's partitions would make the listener thread wait for it.
        setVerifyPartition(false);
        Header gateway = new RecordHeader(GATEWAY_HEADER, identity.id().getBytes(StandardCharsets.UTF_8));
        setHeadersFunction((record, failure) -> new RecordHeaders(new Header[] {gateway}));
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
        meters.counter("chat.gateway.events.skipped", "topic", record.topic()).increment();
        FaultLog fault = faults(record.topic());
        long now = System.currentTimeMillis();
        Long previous = lastFailures.put(record.topic(), now);
        if (previous != null && now - previous > QUIET.toMillis()) {
            // A quiet minute ended the last run of unreadable records: this one starts a new run, logged afresh.
            fault.succeeded();
        }
        fault.failed(exception);
        super.accept(record, consumer, exception);
        positions.handled(record);
    }

    @Override
    protected void send(
            ProducerRecord<Object, Object> deadLetter,
            KafkaOperations<Object, Object> unused,
            ConsumerRecord<?, ?> record) {
        publisher.publishDeadLetter(deadLetter);
    }

    /**
     * One log per topic, ended by a quiet minute rather than by a good record: unreadable records usually come mixed
     * with good ones (a producer of a newer version among older ones), and ending the fault at every good record
     * logged every bad one.
     */
    private FaultLog faults(String topic) {
        return faults.computeIfAbsent(topic, name -> new FaultLog(log, "reading records from " + name, QUIET));
    }
}
