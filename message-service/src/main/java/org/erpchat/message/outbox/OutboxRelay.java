package org.erpchat.message.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.erpchat.events.EventHeaders;
import org.erpchat.events.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the outbox to Kafka, strictly in outbox id order, at least once.
 *
 * <p><b>Why hand-written and not Spring Modulith's event publication registry.</b> Modulith externalizes each event
 * on its own, asynchronously after the commit, and resubmits failed publications later (on restart or on a schedule).
 * After a Kafka outage an event of a conversation can therefore reach Kafka before an earlier one of the same
 * conversation that failed, and gateways would see sequence numbers out of order. This relay never overtakes: it
 * works on the oldest entries only and does not move past one that failed.
 *
 * <p><b>How.</b> One daemon thread per instance. Each pass, in one database transaction: lock and delete the oldest
 * {@code batch-size} entries ({@code ORDER BY id LIMIT n FOR UPDATE}; no {@code SKIP LOCKED}, so a second instance
 * waits for the first instead of publishing later entries ahead of it), send them all (key = the entry's record key,
 * so a conversation's events share a partition), wait for every acknowledgement ({@code acks=all}, idempotent
 * producer) and commit. If anything fails the transaction rolls back, the entries stay, and the relay
 * retries from the oldest after a capped exponential backoff; entries of the failed batch that did reach Kafka are
 * published again (consumers deduplicate by conversation and {@code seq}). A send that commits wakes the relay at
 * once; otherwise it polls every {@code poll-interval}.
 */
@Component
class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /**
     * Takes the oldest entries in one statement: locks them in id order (no {@code SKIP LOCKED}: a second instance
     * waits rather than overtake) and deletes them; they are published before the transaction commits, and a failed
     * publication rolls the deletion back.
     *
     * <p>The deletion alone is committed without waiting for the disk ({@code synchronous_commit} off for this
     * transaction only, set by the scalar subquery, evaluated once): if the database crashed before writing it, the
     * entries would come back and be published again, which is what already happens when the relay fails between
     * Kafka's acknowledgement and the commit, and consumers deduplicate by conversation and {@code seq}. Anything a
     * send commits stays durable, and it makes every deletion before it durable too. Two round trips (this statement
     * and the commit) and no disk wait per pass, instead of three and a flush. (The ids as an array, so the deletion finds them through
     * the primary key rather than by scanning the table a second time.)
     */
    private static final String TAKE_OLDEST = """
            DELETE FROM outbox_event
            WHERE id = ANY(ARRAY(SELECT id FROM outbox_event ORDER BY id LIMIT :limit FOR UPDATE))
              AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL
            RETURNING id, topic, record_key, event_type, payload
            """;

    /** Entry to publish, as stored. */
    private record Entry(long id, String topic, String recordKey, String eventType, byte[] payload) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ProducerFactory<String, byte[]> producerFactory;
    private final KafkaTemplate<String, byte[]> kafka;
    private final OutboxProperties properties;
    private final Counter published;
    private final Counter failures;

    private final Object monitor = new Object();
    private boolean wakeRequested;
    private volatile boolean running;
    private Thread worker;

    OutboxRelay(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            OutboxProducerFactory producerFactory,
            OutboxProperties properties,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
        this.producerFactory = producerFactory.get();
        this.kafka = new KafkaTemplate<>(this.producerFactory);
        this.properties = properties;
        this.published = Counter.builder("chat.outbox.published")
                .description("Outbox entries published to Kafka (republished ones count again)")
                .register(meters);
        this.failures = Counter.builder("chat.outbox.publish.failures")
                .description("Outbox batches that failed to publish and will be retried")
                .register(meters);
    }

    /** Asks the relay to look at the outbox now (called after a transaction that wrote to it commits). */
    void wakeUp() {
        synchronized (monitor) {
            wakeRequested = true;
            monitor.notifyAll();
        }
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("Outbox relay disabled in this instance (chat.message.outbox.enabled=false)");
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        Thread current = worker;
        running = false;
        wakeUp();
        if (current != null) {
            try {
                current.join(properties.ackTimeout().plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        worker = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after the web server and the Kafka listeners, so the last writes still go out. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    private void run() {
        int consecutiveFailures = 0;
        while (running) {
            try {
                int count = relayBatch();
                if (consecutiveFailures > 0) {
                    log.info("Outbox relay publishing again after {} failed attempts", consecutiveFailures);
                    consecutiveFailures = 0;
                }
                if (count < properties.batchSize()) {
                    pause(properties.pollInterval(), true);
                }
            } catch (RuntimeException e) {
                consecutiveFailures++;
                failures.increment();
                Duration backoff = backoff(consecutiveFailures);
                if (consecutiveFailures == 1) {
                    log.warn(
                            "Outbox relay could not publish, will retry every {} at most: {}",
                            properties.maxBackoff(),
                            rootMessage(e));
                } else {
                    log.debug("Outbox relay attempt {} failed: {}", consecutiveFailures, rootMessage(e));
                }
                resetProducer();
                pause(backoff, false);
            }
        }
        if (consecutiveFailures == 0) {
            drainOnShutdown();
        }
    }

    /** Publishes and deletes the oldest entries; returns how many. Throws when any of them could not be published. */
    private int relayBatch() {
        Integer count = transaction.execute(status -> {
            List<Entry> entries = jdbc.sql(TAKE_OLDEST)
                    .param("limit", properties.batchSize())
                    .query((rs, row) -> new Entry(
                            rs.getLong("id"),
                            rs.getString("topic"),
                            rs.getString("record_key"),
                            rs.getString("event_type"),
                            rs.getBytes("payload")))
                    .list();
            if (entries.isEmpty()) {
                return 0;
            }
            // RETURNING has no order; the entries go out in id order.
            List<Entry> inOrder = new ArrayList<>(entries);
            inOrder.sort(Comparator.comparingLong(Entry::id));
            // A failure here throws, and the rollback puts the entries back.
            publish(inOrder);
            return inOrder.size();
        });
        int relayed = count == null ? 0 : count;
        published.increment(relayed);
        return relayed;
    }

    private void publish(List<Entry> entries) {
        List<CompletableFuture<SendResult<String, byte[]>>> acks = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            CompletableFuture<SendResult<String, byte[]>> ack = kafka.send(record(entry));
            acks.add(ack);
            if (ack.isCompletedExceptionally()) {
                // The producer gave up at once (no metadata within max.block.ms): do not try the rest.
                break;
            }
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(properties.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new OutboxPublishException("Kafka did not acknowledge an outbox entry", e.getCause());
        } catch (TimeoutException e) {
            throw new OutboxPublishException(
                    "Kafka did not acknowledge the batch within " + properties.ackTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxPublishException("Interrupted while waiting for Kafka", e);
        }
        if (acks.size() < entries.size()) {
            throw new OutboxPublishException("Kafka refused an outbox entry", null);
        }
    }

    private static ProducerRecord<String, byte[]> record(Entry entry) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(entry.topic(), null, entry.recordKey(), entry.payload());
        record.headers().add(EventHeaders.EVENT_TYPE, entry.eventType().getBytes(StandardCharsets.UTF_8));
        EventType.fromWireName(entry.eventType())
                .ifPresent(type -> record.headers()
                        .add(
                                EventHeaders.SCHEMA_VERSION,
                                Integer.toString(type.schemaVersion()).getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /**
     * One last pass on shutdown, so entries written by the last requests do not wait for the next start. Skipped when
     * the relay was failing anyway: they stay for another instance or the next start.
     */
    private void drainOnShutdown() {
        try {
            while (relayBatch() == properties.batchSize()) {
                // keep going while full batches come back
            }
        } catch (RuntimeException e) {
            log.info("Outbox entries left for the next start or another instance: {}", rootMessage(e));
        }
    }

    /** A fresh producer after a failure, so a broker that came back is reached with clean metadata and sequences. */
    private void resetProducer() {
        try {
            producerFactory.reset();
        } catch (RuntimeException e) {
            log.debug("Closing the outbox producer failed", e);
        }
    }

    private Duration backoff(int consecutiveFailures) {
        long initial = properties.initialBackoff().toMillis();
        long factor = 1L << Math.min(consecutiveFailures - 1, 20);
        return Duration.ofMillis(Math.min(properties.maxBackoff().toMillis(), initial * factor));
    }

    /** Waits up to {@code duration}; returns early on shutdown and, if {@code wakeable}, when woken. */
    private void pause(Duration duration, boolean wakeable) {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (monitor) {
            try {
                while (running && !(wakeable && wakeRequested)) {
                    long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (leftMillis <= 0) {
                        break;
                    }
                    monitor.wait(leftMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            if (wakeable) {
                wakeRequested = false;
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    static class OutboxPublishException extends RuntimeException {
        OutboxPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
