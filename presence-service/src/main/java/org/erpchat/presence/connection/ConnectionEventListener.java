package org.erpchat.presence.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.ConnectionClosed;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.GatewayHeartbeat;
import org.erpchat.events.Topics;
import org.erpchat.events.TypingIndicated;
import org.erpchat.presence.PresenceMetrics;
import org.erpchat.support.logging.FaultLog;
import org.erpchat.support.logging.KeyedFaultLog;
import org.erpchat.support.outbox.OutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Applies the gateways' connection events to the presence state. Every instance of the service joins the
 * {@code presence-service} group, so the topic's partitions are shared between them.
 *
 * <p>Each poll's records come as one batch, in partition order. Opens and closes that follow each other go to Redis in
 * one pipelined round trip (a gateway restart brings thousands within seconds); heartbeats and typing are applied one
 * by one.
 *
 * <p>Failures are not handled here on purpose: a {@link BatchListenerFailedException} names the record that failed,
 * and the shared {@code DefaultErrorHandler} commits the records before it, retries from it with back-off (a Redis
 * outage delays events, it does not lose them; every script is idempotent, so a retry of a half-seen record is
 * harmless) and dead-letters it when retrying cannot help: at once for a record that cannot be read (the
 * {@code ErrorHandlingDeserializer} hands it over with a null value), does not belong here, or is a heartbeat listing
 * more sessions than any gateway sends in one ({@link SessionStore#MAX_SESSIONS_PER_HEARTBEAT}).
 */
@Component
class ConnectionEventListener {

    static final String LISTENER_ID = "presence-connection-events";

    private static final Logger log = LoggerFactory.getLogger(ConnectionEventListener.class);
    private static final LogAccessor LOG_ACCESSOR = new LogAccessor(ConnectionEventListener.class);

    private final SessionStore sessions;
    private final TypingStore typing;
    private final OutboxRelay relay;
    private final PresenceMetrics metrics;
    /**
     * Per gateway: one gateway whose clock is off sends a stale heartbeat every period while the others' are fresh,
     * and a fresh one of another gateway must not end its fault (two lines per heartbeat).
     */
    private final KeyedFaultLog staleHeartbeats = new KeyedFaultLog(
            log, "applying heartbeats (stale ones are ignored) of gateway", Duration.ofMinutes(1), 1_000);
    /** A Redis outage fails every attempt of every partition until it ends: one line, then a count. */
    private final FaultLog applying =
            new FaultLog(log, "applying connection events (retried until they apply)", Duration.ofMinutes(1));

    ConnectionEventListener(SessionStore sessions, TypingStore typing, OutboxRelay relay, PresenceMetrics metrics) {
        this.sessions = sessions;
        this.typing = typing;
        this.relay = relay;
        this.metrics = metrics;
    }

    // idIsGroup = false: the group is spring.kafka.consumer.group-id ("presence-service"), not the listener id.
    @KafkaListener(id = LISTENER_ID, idIsGroup = false, topics = Topics.CONNECTION_EVENTS, batch = "true")
    void onEvents(List<ConsumerRecord<String, ChatEvent>> records) {
        int next = 0;
        while (next < records.size()) {
            int end = next;
            while (end < records.size() && isOpenOrClose(records.get(end).value())) {
                end++;
            }
            if (end > next) {
                applySessions(records, next, end);
                next = end;
            } else {
                applyOne(records, next);
                next++;
            }
        }
        applying.succeeded();
    }

    private static boolean isOpenOrClose(ChatEvent event) {
        return event instanceof ConnectionOpened || event instanceof ConnectionClosed;
    }

    /** Opens and closes, read one after the other: one round trip to Redis for all of them, in their order. */
    private void applySessions(List<ConsumerRecord<String, ChatEvent>> records, int from, int to) {
        List<ChatEvent> events = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            events.add(records.get(i).value());
        }
        List<SessionOutcome> outcomes;
        try {
            outcomes = sessions.apply(events);
        } catch (RuntimeException e) {
            // Retried from the first of them: the error handler commits what came before and seeks back to it. The
            // scripts are idempotent, so those of the run that had been applied change nothing the second time.
            throw failed(records.get(from), from, e);
        }
        for (int i = 0; i < events.size(); i++) {
            ChatEvent event = events.get(i);
            SessionOutcome outcome = outcomes.get(i);
            log.debug("{} -> {}", event, outcome);
            done(
                    event instanceof ConnectionOpened ? "ConnectionOpened" : "ConnectionClosed",
                    outcome.name(),
                    outcome.announced());
        }
    }

    private void applyOne(List<ConsumerRecord<String, ChatEvent>> records, int index) {
        ConsumerRecord<String, ChatEvent> record = records.get(index);
        if (record.value() == null) {
            DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(
                    record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG_ACCESSOR);
            if (unreadable != null) {
                // Dead-lettered at once, with the bytes as they arrived; the records after it go on.
                throw new BatchListenerFailedException("unreadable record", unreadable, index);
            }
        }
        try {
            handle(record.value());
        } catch (UnexpectedEventException | HeartbeatTooLargeException e) {
            throw new BatchListenerFailedException(e.getMessage(), e, index); // dead-lettered at once
        } catch (RuntimeException e) {
            throw failed(record, index, e);
        }
    }

    private BatchListenerFailedException failed(
            ConsumerRecord<String, ChatEvent> record, int index, RuntimeException e) {
        metrics.connectionEventFailed();
        applying.failed(e);
        ChatEvent event = record.value();
        log.debug(
                "Could not apply {} from {}-{}@{}, it will be retried: {}",
                event == null ? null : event.eventType().wireName(),
                record.topic(),
                record.partition(),
                record.offset(),
                e.toString());
        return new BatchListenerFailedException("could not apply the event", e, index);
    }

    private void handle(ChatEvent event) {
        if (event instanceof ConnectionOpened opened) {
            SessionOutcome outcome = sessions.open(opened);
            log.debug("{} -> {}", opened, outcome);
            done("ConnectionOpened", outcome.name(), outcome.announced());
        } else if (event instanceof ConnectionClosed closed) {
            SessionOutcome outcome = sessions.close(closed);
            log.debug("{} -> {}", closed, outcome);
            done("ConnectionClosed", outcome.name(), outcome.announced());
        } else if (event instanceof GatewayHeartbeat heartbeat) {
            HeartbeatOutcome outcome = sessions.heartbeat(heartbeat);
            if (outcome.stale()) {
                // The consumer is far behind, a Kafka outage held heartbeats back, or the gateway's clock is off by
                // more than a session TTL. After an outage every gateway's held heartbeats arrive at once: one line
                // per gateway, and one when its heartbeats are fresh again.
                staleHeartbeats.failed(heartbeat.gatewayId(), new StaleHeartbeat(heartbeat));
            } else {
                staleHeartbeats.succeeded(heartbeat.gatewayId());
            }
            if (!outcome.stale() && outcome.readded() > 0) {
                log.info(
                        "Heartbeat from gateway {} re-added {} sessions ({} users announced online, {} restored"
                                + " silently)",
                        heartbeat.gatewayId(),
                        outcome.readded(),
                        outcome.announcedOnline(),
                        outcome.restoredSilently());
            }
            done("GatewayHeartbeat", outcome.stale() ? "STALE" : "APPLIED", outcome.announcedOnline() > 0);
        } else if (event instanceof TypingIndicated indicated) {
            TypingOutcome outcome = typing.apply(indicated);
            done("TypingIndicated", outcome.name(), outcome == TypingOutcome.CHANGED);
        } else {
            throw new UnexpectedEventException(
                    (event == null ? "a null event" : event.eventType().wireName()) + " does not belong on "
                            + Topics.CONNECTION_EVENTS);
        }
    }

    /** What the fault log says of a stale heartbeat; never thrown. */
    private static final class StaleHeartbeat extends RuntimeException {
        StaleHeartbeat(GatewayHeartbeat heartbeat) {
            super(
                    "heartbeat from gateway " + heartbeat.gatewayId() + " sent at " + heartbeat.sentAt()
                            + " is older than a session TTL",
                    null,
                    false,
                    false);
        }
    }

    private void done(String type, String outcome, boolean announced) {
        metrics.connectionEvent(type, outcome);
        if (announced) {
            relay.wakeUp();
        }
    }
}
