package org.erpchat.message.outbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.erpchat.events.EventHeaders;
import org.erpchat.events.EventType;
import org.erpchat.support.kafka.ChatKafkaProducerAutoConfiguration;
import org.erpchat.support.outbox.KafkaAcks;
import org.erpchat.support.outbox.OutboxBatches;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code outbox_event} table's side of the relay: publishes the oldest entries, strictly in id order, at least
 * once ({@link OutboxConfiguration} runs the loop).
 *
 * <p><b>Why hand-written and not Spring Modulith's event publication registry.</b> Modulith externalizes each event
 * on its own, asynchronously after the commit, and resubmits failed publications later (on restart or on a schedule).
 * After a Kafka outage an event of a conversation can therefore reach Kafka before an earlier one of the same
 * conversation that failed, and gateways would see sequence numbers out of order. This relay never overtakes: it
 * works on the oldest entries only and does not move past one that failed.
 *
 * <p><b>How.</b> Each pass, in one database transaction: lock and delete the oldest {@code batch-size} entries
 * ({@code ORDER BY id LIMIT n FOR UPDATE}; no {@code SKIP LOCKED}, so a second instance waits for the first instead of
 * publishing later entries ahead of it), send them all (key = the entry's record key, so a conversation's events
 * share a partition), wait for every acknowledgement ({@code acks=all}, idempotent producer) and commit. If anything
 * fails the transaction rolls back and the entries stay; entries of the failed batch that did reach Kafka are
 * published again (consumers deduplicate by conversation and {@code seq}).
 */
class OutboxTable implements OutboxBatches {

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
     * and the commit) and no disk wait per pass, instead of three and a flush. (The ids as an array, so the deletion
     * finds them through the primary key rather than by scanning the table a second time.)
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

    OutboxTable(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            ProducerFactory<String, byte[]> producerFactory,
            OutboxProperties properties) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
        this.producerFactory = producerFactory;
        this.kafka = new KafkaTemplate<>(producerFactory);
        // Failed sends are this relay's to report, once per outage; not one ERROR per record with its payload.
        this.kafka.setProducerListener(ChatKafkaProducerAutoConfiguration.quiet());
        this.properties = properties;
    }

    @Override
    public int publishOldest() {
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
            List<ProducerRecord<String, byte[]>> records = entries.stream()
                    .sorted(Comparator.comparingLong(Entry::id))
                    .map(OutboxTable::record)
                    .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
            // A failure here throws, and the rollback puts the entries back.
            KafkaAcks.sendAll(kafka, records, properties.ackTimeout());
            return records.size();
        });
        return count == null ? 0 : count;
    }

    /** A fresh producer after a failure, so a broker that came back is reached with clean metadata and sequences. */
    @Override
    public void afterFailure() {
        producerFactory.reset();
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
}
