package org.erpchat.support.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/** Sends an outbox batch and waits until Kafka acknowledged all of it, or says why it did not. */
public final class KafkaAcks {

    private KafkaAcks() {}

    /**
     * Sends {@code records} in order and waits up to {@code timeout} for every acknowledgement.
     *
     * @throws OutboxPublishException when any record was refused or not acknowledged in time; some of the batch may
     *     have reached Kafka, and the whole batch is sent again later (consumers deduplicate)
     */
    public static <K, V> void sendAll(KafkaTemplate<K, V> kafka, List<ProducerRecord<K, V>> records, Duration timeout) {
        List<CompletableFuture<SendResult<K, V>>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<K, V> record : records) {
            CompletableFuture<SendResult<K, V>> ack = kafka.send(record);
            acks.add(ack);
            if (ack.isCompletedExceptionally()) {
                // The producer gave up at once (no metadata within max.block.ms): do not try the rest; get() below
                // throws.
                break;
            }
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new OutboxPublishException("Kafka did not acknowledge an outbox entry", e.getCause());
        } catch (TimeoutException e) {
            throw new OutboxPublishException("Kafka did not acknowledge the batch within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxPublishException("Interrupted while waiting for Kafka", e);
        }
    }

    /** An outbox batch that did not reach Kafka; the relay retries it. */
    public static final class OutboxPublishException extends RuntimeException {
        OutboxPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
