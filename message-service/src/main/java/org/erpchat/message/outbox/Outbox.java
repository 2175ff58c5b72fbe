package org.erpchat.message.outbox;

import java.time.Clock;
import java.time.ZoneOffset;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.EventCodec;
import org.erpchat.events.EventType;
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

    /** Stores {@code event} for publication on its topic, keyed by its partition key. Needs a transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(ChatEvent event) {
        EventType type = event.eventType();
        jdbc.sql("""
                INSERT INTO outbox_event (topic, record_key, event_type, payload, created_at)
                VALUES (:topic, :key, :type, :payload, :now)
                """)
                .param("topic", type.topic())
                .param("key", event.partitionKey())
                .param("type", type.wireName())
                .param("payload", codec.encode(event))
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update();
        wakeRelayAfterCommit();
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
