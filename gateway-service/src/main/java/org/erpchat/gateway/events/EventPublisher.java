package org.erpchat.gateway.events;

import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.ChatEventSerializer;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * The gateway's only way to Kafka: client sends, connection events and heartbeats, typing, and dead letters. Callers
 * only queue a record, which never blocks; one publishing thread hands the records to the Kafka producer in order. A
 * producer without a broker may block that thread for up to {@code max.block.ms} and nobody else.
 *
 * <p>Every record has a deadline, {@code chat.gateway.send.timeout} after it was queued. The returned future fails at
 * the deadline if Kafka has not taken the record by then (a record still queued at its deadline is never sent), and at
 * once when the queue is full. The producer's own timeouts are derived from the same setting, so a record handed to
 * it fails within the deadline too, unless it waited in the queue first. Failures are counted per event type and
 * reason and logged once with a count ({@link FaultLog}), never once per record.
 */
@Component
public class EventPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    private static final String DEAD_LETTER = "dead_letter";

    /** Why a record did not reach Kafka. */
    public enum Failure {
        /** The queue to the producer was full; nothing was tried. */
        QUEUE_FULL,
        /** Kafka did not take the record within {@code chat.gateway.send.timeout}. */
        TIMEOUT,
        /** The producer refused the record or failed to deliver it. */
        KAFKA_ERROR,
        /** The gateway is shutting down. */
        STOPPED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The failure of a future returned by {@link EventPublisher}. */
    public static final class NotPublished extends RuntimeException {
        private final Failure failure;

        NotPublished(Failure failure, String message, Throwable cause) {
            super(message, cause, false, false);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    /** A record waiting for the publishing thread; a {@code null} record is a flush request. */
    private record Pending(
            String type, Supplier<ProducerRecord<String, byte[]>> record, CompletableFuture<Void> result) {

        boolean isFlush() {
            return record == null;
        }
    }

    private final ProducerFactory<String, byte[]> producers;
    private final BlockingQueue<Pending> queue;
    private final int capacity;
    private final Duration timeout;
    private final GatewayMetrics metrics;
    /**
     * Ended by a quiet interval, not by the next record taken: with one partition unwritable (no leader, too few
     * replicas in sync) the records to it fail one by one among records to the others that go through.
     */
    private final FaultLog faults = FaultLog.endedByQuiet(log, "publishing to Kafka", Duration.ofSeconds(30));

    private final ChatEventSerializer serializer = new ChatEventSerializer();
    private final ScheduledThreadPoolExecutor deadlines;
    private volatile Thread worker;
    private volatile boolean accepting = true;
    private volatile boolean running;

    @SuppressWarnings("unchecked")
    public EventPublisher(
            ProducerFactory<?, ?> kafkaProducerFactory, GatewayProperties properties, GatewayMetrics metrics) {
        this.timeout = properties.send().timeout();
        this.metrics = metrics;
        this.capacity = properties.send().queueCapacity();
        this.queue = new ArrayBlockingQueue<>(capacity);
        long deliveryMillis = Math.max(2, timeout.toMillis());
        // The records are encoded here (events with their type headers, dead letters as the bytes they arrived as);
        // the producer's timeouts follow the send timeout, so what the producer holds fails within it.
        this.producers = (ProducerFactory<String, byte[]>) kafkaProducerFactory.copyWithConfigurationOverride(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) deliveryMillis,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) (deliveryMillis / 2),
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                deliveryMillis / 2));
        if (producers instanceof DefaultKafkaProducerFactory<String, byte[]> factory) {
            // Closing the producer waits for what it holds; with the broker gone, not longer than a send may take.
            factory.setPhysicalCloseTimeout((int) Math.max(1, timeout.toSeconds()));
        }
        this.deadlines = new ScheduledThreadPoolExecutor(1, runnable -> daemon(runnable, "gateway-publish-deadlines"));
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * Queues an event for its topic, keyed as the contract says. The future completes when Kafka has the record and
     * fails with {@link NotPublished} otherwise; whoever ignores it loses nothing but the record (failures are
     * counted and logged here).
     */
    public CompletableFuture<Void> publish(ChatEvent event) {
        return enqueue(event.eventType().wireName(), () -> {
            String topic = event.eventType().topic();
            RecordHeaders headers = new RecordHeaders();
            byte[] value = serializer.serialize(topic, headers, event);
            return new ProducerRecord<>(topic, null, event.partitionKey(), value, headers);
        });
    }

    /**
     * Queues a record for a dead-letter topic: key, value and headers as given (a value that is an event is encoded,
     * one that is bytes is written unchanged).
     */
    public CompletableFuture<Void> publishDeadLetter(ProducerRecord<?, ?> deadLetter) {
        return enqueue(DEAD_LETTER, () -> {
            RecordHeaders headers = new RecordHeaders(deadLetter.headers().toArray());
            byte[] value = deadLetter.value() instanceof ChatEvent event
                    ? serializer.serialize(deadLetter.topic(), headers, event)
                    : bytes(deadLetter.value());
            byte[] key = bytes(deadLetter.key());
            return new ProducerRecord<>(
                    deadLetter.topic(),
                    deadLetter.partition(),
                    deadLetter.timestamp(),
                    key == null ? null : new String(key, StandardCharsets.UTF_8),
                    value,
                    headers);
        });
    }

    /**
     * Waits until everything queued before this call has been handed to the producer and the producer has sent or
     * given up on it; for graceful shutdown. Returns false if that took longer than {@code wait}.
     */
    public boolean drain(Duration wait) throws InterruptedException {
        Pending flush = new Pending("flush", null, new CompletableFuture<>());
        if (!queue.offer(flush, wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        try {
            flush.result().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Also a restart: Spring stops and starts the lifecycle beans of a test context it pauses. */
    @Override
    public synchronized void start() {
        accepting = true;
        if (worker == null || !worker.isAlive()) {
            worker = daemon(this::work, "gateway-kafka-publisher");
            worker.start();
        }
        running = true;
    }

    /**
     * Stops after the web server and the Kafka listeners (phase 0): what they queued while stopping is still sent, up
     * to the send timeout. Later records fail at once.
     */
    @Override
    public synchronized void stop() {
        try {
            if (!drain(timeout)) {
                log.warn("Stopping with {} records not handed to Kafka", queue.size());
            }
            accepting = false;
            Thread stopping = worker;
            if (stopping != null) {
                stopping.interrupt();
                stopping.join(timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        accepting = false;
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }

    /** Closes the producer once nothing can be queued any more. */
    @PreDestroy
    void close() throws Exception {
        accepting = false;
        Thread stopping = worker;
        if (stopping != null) {
            stopping.interrupt();
        }
        deadlines.shutdownNow();
        if (producers instanceof DisposableBean disposable) {
            disposable.destroy();
        }
    }

    private CompletableFuture<Void> enqueue(String type, Supplier<ProducerRecord<String, byte[]>> record) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        result.whenComplete((ignored, failure) -> outcome(type, failure));
        if (!accepting) {
            result.completeExceptionally(new NotPublished(Failure.STOPPED, "the gateway is shutting down", null));
            return result;
        }
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> result.completeExceptionally(new NotPublished(
                        Failure.TIMEOUT, "Kafka did not take the record within " + timeout.toMillis() + " ms", null)),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        result.whenComplete((ignored, failure) -> deadline.cancel(false));
        if (!queue.offer(new Pending(type, record, result))) {
            result.completeExceptionally(new NotPublished(
                    Failure.QUEUE_FULL, "the queue to Kafka is full (" + capacity + " records)", null));
        }
        return result;
    }

    private void outcome(String type, Throwable failure) {
        if (failure == null) {
            faults.succeeded();
            return;
        }
        Failure reason = failure instanceof NotPublished notPublished ? notPublished.failure() : Failure.KAFKA_ERROR;
        metrics.unpublished(type, reason.tag());
        faults.failed(failure);
    }

    private void work() {
        while (true) {
            Pending next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            if (next.isFlush()) {
                flush(next);
            } else if (!next.result().isDone()) {
                // A record whose deadline passed while it waited has been answered already: it must not be sent.
                handOver(next);
            }
        }
        for (Pending left = queue.poll(); left != null; left = queue.poll()) {
            left.result()
                    .completeExceptionally(new NotPublished(Failure.STOPPED, "the gateway is shutting down", null));
        }
    }

    private void handOver(Pending pending) {
        CompletableFuture<Void> result = pending.result();
        try {
            producers.createProducer().send(pending.record().get(), (metadata, failure) -> {
                if (failure == null) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(
                            new NotPublished(Failure.KAFKA_ERROR, "Kafka did not take the record", failure));
                }
            });
        } catch (RuntimeException e) {
            // Typically no broker metadata within max.block.ms; also a record that cannot be encoded.
            result.completeExceptionally(new NotPublished(Failure.KAFKA_ERROR, "Kafka did not take the record", e));
        }
    }

    private void flush(Pending flush) {
        try {
            producers.createProducer().flush();
        } catch (RuntimeException e) {
            log.debug("Flush failed: {}", e.toString());
        }
        flush.result().complete(null);
    }

    private static byte[] bytes(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
