package org.erpchat.support.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.erpchat.events.Topics;
import org.erpchat.support.logging.KeyedFaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Sends a record a listener cannot use to {@code <topic>.dlt}, so that its partition goes on with the next one, and
 * makes sure a dead letter can always be written.
 *
 * <p>A record may use all of Kafka's message limit (1 MB by default); its dead letter carries the same bytes plus
 * headers, and one over the limit would be refused for good: the recovery would fail, the record be fetched and fail
 * again, and its partition stall for ever. So a value or key above {@link #MAX_COPIED_BYTES} is left out of the dead
 * letter (header {@value #OMITTED_HEADER} says what was), the stack trace is never added (the exception's class and
 * message are), and a dead letter Kafka refuses as too large all the same is given up: the record is skipped, and
 * counted in the log. Any other failure to write a dead letter (Kafka unreachable) fails the recovery, and the record
 * is tried again.
 *
 * <p>Dead letters are logged once per source topic with a count (one line, then at most one a minute), not once per
 * record: a producer that writes a record we cannot read usually writes many.
 */
final class DeadLetterRecoverer extends DeadLetterPublishingRecoverer {

    /** Half of Kafka's default message limit: room for the headers, whatever the original used. */
    static final int MAX_COPIED_BYTES = 512 * 1024;

    static final String OMITTED_HEADER = "chat_dlt_omitted";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRecoverer.class);

    private final KeyedFaultLog deadLettered =
            new KeyedFaultLog(log, "processing records of", Duration.ofMinutes(1), 16);
    private final KeyedFaultLog givenUp = new KeyedFaultLog(log, "writing dead letters of", Duration.ofMinutes(1), 16);

    DeadLetterRecoverer(KafkaOperations<Object, Object> template) {
        super(template, (record, e) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
        excludeHeader(HeaderNames.HeadersToAdd.EX_STACKTRACE);
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
        deadLettered.failed(
                record.topic(),
                new DeadLettered(coordinates(record) + " is sent to " + Topics.deadLetter(record.topic()) + ": "
                        + exception.getMessage()));
        try {
            super.accept(record, consumer, exception);
        } catch (KafkaException e) {
            if (!tooLarge(e)) {
                throw e;
            }
            givenUp.failed(
                    record.topic(),
                    new DeadLettered(
                            coordinates(record) + " is skipped without a dead letter, which Kafka refused as too"
                                    + " large even without its value: " + e.getMessage()));
        }
    }

    @Override
    protected ProducerRecord<Object, Object> createProducerRecord(
            ConsumerRecord<?, ?> record, TopicPartition topicPartition, Headers headers, byte[] key, byte[] value) {
        int valueSize = value != null ? value.length : record.serializedValueSize();
        int keySize = key != null ? key.length : record.serializedKeySize();
        Object copiedValue = value != null ? value : record.value();
        Object copiedKey = key != null ? key : record.key();
        if (valueSize > MAX_COPIED_BYTES) {
            copiedValue = null;
            headers.add(OMITTED_HEADER, ("value of " + valueSize + " bytes").getBytes(StandardCharsets.UTF_8));
        }
        if (keySize > MAX_COPIED_BYTES) {
            copiedKey = null;
            headers.add(OMITTED_HEADER, ("key of " + keySize + " bytes").getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(
                topicPartition.topic(),
                topicPartition.partition() < 0 ? null : topicPartition.partition(),
                copiedKey,
                copiedValue,
                headers);
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private static String coordinates(ConsumerRecord<?, ?> record) {
        return "record " + record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** What happened to a record, as a log line's reason; no stack trace is filled in. */
    private static final class DeadLettered extends RuntimeException {
        DeadLettered(String message) {
            super(message, null, false, false);
        }
    }
}
