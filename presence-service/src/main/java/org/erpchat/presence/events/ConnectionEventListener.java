package org.erpchat.presence.events;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.ConnectionClosed;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.GatewayHeartbeat;
import org.erpchat.events.Topics;
import org.erpchat.events.TypingIndicated;
import org.erpchat.presence.PresenceMetrics;
import org.erpchat.presence.outbox.OutboxRelay;
import org.erpchat.presence.state.HeartbeatOutcome;
import org.erpchat.presence.state.SessionOutcome;
import org.erpchat.presence.state.SessionStore;
import org.erpchat.presence.state.TypingOutcome;
import org.erpchat.presence.state.TypingStore;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Applies the gateways' connection events to the presence state. Every instance of the service joins the
 * {@code presence-service} group, so the topic's partitions are shared between them.
 *
 * <p>Failures are not handled here on purpose: an exception goes to the shared {@code DefaultErrorHandler}, which
 * retries the record with back-off (a Redis outage delays events, it does not lose them; every script is idempotent,
 * so a retry of a half-seen record is harmless) and dead-letters it when retrying cannot help. Records that cannot be
 * read never get here: the {@code ErrorHandlingDeserializer} hands them to the same error handler.
 */
@Component
class ConnectionEventListener {

    static final String LISTENER_ID = "presence-connection-events";

    private static final Logger log = LoggerFactory.getLogger(ConnectionEventListener.class);

    private final SessionStore sessions;
    private final TypingStore typing;
    private final OutboxRelay relay;
    private final PresenceMetrics metrics;
    private final FaultLog staleHeartbeats =
            new FaultLog(log, "applying gateway heartbeats (stale ones are ignored)", Duration.ofMinutes(1));

    ConnectionEventListener(SessionStore sessions, TypingStore typing, OutboxRelay relay, PresenceMetrics metrics) {
        this.sessions = sessions;
        this.typing = typing;
        this.relay = relay;
        this.metrics = metrics;
    }

    // idIsGroup = false: the group is spring.kafka.consumer.group-id ("presence-service"), not the listener id.
    @KafkaListener(id = LISTENER_ID, idIsGroup = false, topics = Topics.CONNECTION_EVENTS)
    void onEvent(ConsumerRecord<String, ChatEvent> record) {
        ChatEvent event = record.value();
        try {
            handle(event);
        } catch (UnexpectedEventException e) {
            throw e; // dead-lettered at once; the error handler logs it
        } catch (RuntimeException e) {
            metrics.connectionEventFailed();
            log.warn(
                    "Could not apply {} from {}-{}@{}, it will be retried: {}",
                    event == null ? null : event.eventType().wireName(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
            throw e;
        }
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
                // more than a session TTL. After an outage every gateway's held heartbeats arrive at once: one line.
                staleHeartbeats.failed(new StaleHeartbeat(heartbeat));
            } else {
                staleHeartbeats.succeeded();
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
