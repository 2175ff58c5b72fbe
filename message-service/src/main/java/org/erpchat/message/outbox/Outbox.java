package org.erpchat.message.outbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.EventCodec;
import org.erpchat.events.EventType;
import org.erpchat.support.outbox.OutboxRelay;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes events to the transactional outbox. An event is stored in the caller's transaction, so it exists if and only
 * if the change it announces was committed; {@link OutboxRelay} publishes it afterwards, in the order of the outbox
 * ids. Callers that write a conversation's events hold that conversation's row lock, which makes the id order of its
 * events their sequence order.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final EventCodec codec = new EventCodec();
    private final Clock clock;
    private final OutboxRelay relay;

    Outbox(JdbcClient jdbc, Clock clock, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.relay = relay;
    }

    /**
     * The outbox insert, for a caller that writes its change and the event in one statement (a data-modifying
     * {@code WITH}); {@link Entry#bind} supplies its parameters, all named {@code outbox*}.
     */
    public static final String INSERT = """
            INSERT INTO outbox_event (topic, record_key, event_type, payload, created_at)
            VALUES (:outboxTopic, :outboxKey, :outboxType, :outboxPayload, :outboxCreatedAt)
            """;

    /**
     * The outbox insert of several entries, for a caller that writes them with its change in one statement;
     * {@link #bindAll} supplies its parameters, all named {@code outbox*}. The entries get their ids in the order
     * given.
     */
    public static final String INSERT_ALL = """
            INSERT INTO outbox_event (topic, record_key, event_type, payload, created_at)
            SELECT topic, record_key, event_type, payload, created_at
            FROM unnest(CAST(:outboxTopics AS text[]), CAST(:outboxKeys AS text[]), CAST(:outboxTypes AS text[]),
                        CAST(:outboxPayloads AS bytea[]), CAST(:outboxCreatedAt AS timestamptz[]))
                 WITH ORDINALITY AS entry(topic, record_key, event_type, payload, created_at, position)
            ORDER BY position
            """;

    /** Binds the {@code outbox*} parameters of {@link #INSERT_ALL}. */
    public static JdbcClient.StatementSpec bindAll(JdbcClient.StatementSpec statement, List<Entry> entries) {
        return statement
                .param("outboxTopics", entries.stream().map(Entry::topic).toArray(String[]::new))
                .param("outboxKeys", entries.stream().map(Entry::key).toArray(String[]::new))
                .param("outboxTypes", entries.stream().map(Entry::type).toArray(String[]::new))
                .param("outboxPayloads", entries.stream().map(Entry::payload).toArray(byte[][]::new))
                .param(
                        "outboxCreatedAt",
                        entries.stream()
                                .map(entry -> entry.createdAt().toString())
                                .toArray(String[]::new));
    }

    /** Stores {@code event} for publication on its topic, keyed by its partition key. Needs a transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(ChatEvent event) {
        entry(event).bind(jdbc.sql(INSERT)).update();
    }

    /**
     * {@code event} encoded for {@link #INSERT}, which the caller runs in this transaction. The relay is woken when the
     * transaction commits, as for {@link #append}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Entry entry(ChatEvent event) {
        EventType type = event.eventType();
        wakeRelayAfterCommit();
        return new Entry(
                type.topic(),
                event.partitionKey(),
                type.wireName(),
                codec.encode(event),
                clock.instant().atOffset(ZoneOffset.UTC));
    }

    /** An event as the outbox stores it. */
    public record Entry(String topic, String key, String type, byte[] payload, OffsetDateTime createdAt) {

        /** Binds the {@code outbox*} parameters of {@link #INSERT}. */
        public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
            return statement
                    .param("outboxTopic", topic)
                    .param("outboxKey", key)
                    .param("outboxType", type)
                    .param("outboxPayload", payload)
                    .param("outboxCreatedAt", createdAt);
        }
    }

    /** Publishing starts as soon as the transaction commits instead of at the relay's next poll. */
    private void wakeRelayAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        boolean registered = TransactionSynchronizationManager.getSynchronizations().stream()
                .anyMatch(WakeRelayAfterCommit.class::isInstance);
        if (!registered) {
            TransactionSynchronizationManager.registerSynchronization(new WakeRelayAfterCommit(relay));
        }
    }

    /** One per transaction that wrote to the outbox, however many entries it wrote. */
    private record WakeRelayAfterCommit(OutboxRelay relay) implements TransactionSynchronization {
        @Override
        public void afterCommit() {
            relay.wakeUp();
        }
    }
}
