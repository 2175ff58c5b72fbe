package org.erpchat.support.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.erpchat.events.Topics;
import org.erpchat.support.logging.KeyedFaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Sends a record a listener cannot use to {@code <topic>.dlt}, so that its partition goes on with the next one, and
 * makes sure a dead letter can always be written.
 *
 * <p>A record may use all of Kafka's message limit (1 MB by default); its dead letter carries the same key, value and
 * headers plus Spring Kafka's, and one over the limit would be refused for good: the recovery would fail, the record be
 * fetched and fail again, and its partition stall for ever. So a dead letter larger than {@link #MAX_DEAD_LETTER_BYTES}
 * loses, in this order and only as far as needed, the stack trace, the value, the key, and the headers other than
 * where the record came from and what failed; header {@value #OMITTED_HEADER} names each part left out. Should Kafka
 * refuse one as too large all the same (a broker configured for smaller messages), the record is skipped and counted
 * in the log. Any other failure to write a dead letter (Kafka unreachable) fails the recovery, and the record is
 * tried again.
 *
 * <p>Dead letters are logged once per source topic, then counted (at most one line a minute, with the latest), not
 * once per record: a producer that writes a record we cannot read usually writes many.
 */
final class DeadLetterRecoverer extends DeadLetterPublishingRecoverer {

    /** Half of Kafka's default message limit: room to spare for the record batch's own overhead. */
    static final int MAX_DEAD_LETTER_BYTES = 512 * 1024;

    static final String OMITTED_HEADER = "chat_dlt_omitted";

    /** What a dead letter keeps when nothing else fits: where the record came from and what failed. */
    private static final Set<String> ESSENTIAL_HEADERS = Set.of(
            KafkaHeaders.DLT_ORIGINAL_TOPIC,
            KafkaHeaders.DLT_ORIGINAL_PARTITION,
            KafkaHeaders.DLT_ORIGINAL_OFFSET,
            KafkaHeaders.DLT_EXCEPTION_FQCN,
            OMITTED_HEADER);

    private static final List<String> STACK_TRACES =
            List.of(KafkaHeaders.DLT_EXCEPTION_STACKTRACE, KafkaHeaders.DLT_KEY_EXCEPTION_STACKTRACE);

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRecoverer.class);

    private final KeyedFaultLog deadLettered =
            new KeyedFaultLog(log, "processing records of", Duration.ofMinutes(1), 16);
    private final KeyedFaultLog givenUp = new KeyedFaultLog(log, "writing dead letters of", Duration.ofMinutes(1), 16);

    private final List<DeadLetterObserver> observers;
    private final KeyedFaultLog observing =
            new KeyedFaultLog(log, "telling of dead letters of", Duration.ofMinutes(1), 16);

    DeadLetterRecoverer(KafkaOperations<Object, Object> template, List<DeadLetterObserver> observers) {
        super(template, (record, e) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
        this.observers = List.copyOf(observers);
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
        try {
            super.accept(record, consumer, exception);
        } catch (KafkaException e) {
            if (!tooLarge(e)) {
                throw e; // not written (Kafka unreachable): the record is tried again
            }
            givenUp.failed(
                    record.topic(),
                    new DeadLettered(coordinates(record) + " is skipped: Kafka refused its dead letter as too large ("
                            + e.getMessage() + ")"));
            tellObservers(record, exception);
            return;
        }
        deadLettered.failed(
                record.topic(),
                new DeadLettered(coordinates(record) + " was sent to " + Topics.deadLetter(record.topic()) + ": "
                        + exception.getMessage()));
        tellObservers(record, exception);
    }

    private void tellObservers(ConsumerRecord<?, ?> record, Exception exception) {
        for (DeadLetterObserver observer : observers) {
            try {
                observer.deadLettered(record, exception);
            } catch (RuntimeException e) {
                // The record is dead-lettered all the same: failing the recovery now would write a second one.
                observing.failed(record.topic(), e);
            }
        }
    }

    @Override
    protected ProducerRecord<Object, Object> createProducerRecord(
            ConsumerRecord<?, ?> record, TopicPartition topicPartition, Headers headers, byte[] key, byte[] value) {
        int keySize = Math.max(0, key != null ? key.length : record.serializedKeySize());
        int valueSize = Math.max(0, value != null ? value.length : record.serializedValueSize());
        Object copiedKey = key != null ? key : record.key();
        Object copiedValue = value != null ? value : record.value();
        if (keySize + valueSize + size(headers) > MAX_DEAD_LETTER_BYTES) {
            int removed = 0;
            for (String stackTrace : STACK_TRACES) {
                removed += size(headers.lastHeader(stackTrace));
                headers.remove(stackTrace);
            }
            if (removed > 0) {
                omitted(headers, "stack trace of " + removed + " bytes");
            }
        }
        if (keySize + valueSize + size(headers) > MAX_DEAD_LETTER_BYTES) {
            // The value unless the key alone is what does not fit: the value is what an operator replays.
            boolean keyAloneFits = keySize + size(headers) <= MAX_DEAD_LETTER_BYTES;
            boolean valueAloneFits = valueSize + size(headers) <= MAX_DEAD_LETTER_BYTES;
            if (valueSize > 0 && (keyAloneFits || !valueAloneFits)) {
                copiedValue = null;
                omitted(headers, "value of " + valueSize + " bytes");
                valueSize = 0;
            }
            if (keySize > 0 && keySize + valueSize + size(headers) > MAX_DEAD_LETTER_BYTES) {
                copiedKey = null;
                omitted(headers, "key of " + keySize + " bytes");
                keySize = 0;
            }
        }
        int headersSize = size(headers);
        if (keySize + valueSize + headersSize > MAX_DEAD_LETTER_BYTES) {
            for (Header header : headers.toArray()) {
                if (!ESSENTIAL_HEADERS.contains(header.key())) {
                    headers.remove(header.key());
                }
            }
            omitted(headers, "headers of " + headersSize + " bytes");
        }
        return new ProducerRecord<>(
                topicPartition.topic(),
                topicPartition.partition() < 0 ? null : topicPartition.partition(),
                copiedKey,
                copiedValue,
                headers);
    }

    private static void omitted(Headers headers, String what) {
        headers.add(OMITTED_HEADER, what.getBytes(StandardCharsets.UTF_8));
    }

    private static int size(Headers headers) {
        int size = 0;
        for (Header header : headers) {
            size += header.key().length() + size(header);
        }
        return size;
    }

    private static int size(Header header) {
        return header == null || header.value() == null ? 0 : header.value().length;
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
