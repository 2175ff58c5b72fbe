package org.erpchat.gateway.presence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.ConnectionClosed;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.GatewayHeartbeat;
import org.erpchat.events.SessionRef;
import org.erpchat.gateway.config.GatewayIdentity;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.events.EventPublisher;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.SessionRegistry;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tells presence-service which sessions live here: an event when one opens or closes, and every heartbeat period the
 * full list. The list is what makes presence self-healing: a lost open or close event, a Redis that restarted empty,
 * or this gateway dying without a word are all corrected within one heartbeat or one session TTL.
 */
@Component
public class ConnectionEvents {

    private final EventPublisher publisher;
    private final SessionRegistry sessions;
    private final String gatewayId;
    private final int partSize;

    public ConnectionEvents(
            EventPublisher publisher,
            SessionRegistry sessions,
            GatewayIdentity identity,
            GatewayProperties properties) {
        this.publisher = publisher;
        this.sessions = sessions;
        this.gatewayId = identity.id();
        this.partSize = properties.presence().heartbeatPartSize();
    }

    public void opened(ChatSession session) {
        publish(new ConnectionOpened(gatewayId, session.id(), session.userId(), Instant.now()));
    }

    public void closed(ChatSession session) {
        publish(new ConnectionClosed(gatewayId, session.id(), session.userId(), Instant.now()));
    }

    @Scheduled(
            fixedRateString = "${chat.gateway.presence.heartbeat-interval:10s}",
            initialDelayString = "${chat.gateway.presence.heartbeat-interval:10s}")
    public void heartbeat() {
        List<SessionRef> live = new ArrayList<>();
        for (List<ChatSession> userSessions : sessions.byUser()) {
            for (ChatSession session : userSessions) {
                if (!session.isClosing()) {
                    live.add(new SessionRef(session.id(), session.userId()));
                }
            }
        }
        Instant now = Instant.now();
        int parts = Math.max(1, (live.size() + partSize - 1) / partSize);
        for (int part = 0; part < parts; part++) {
            List<SessionRef> slice = live.subList(part * partSize, Math.min(live.size(), (part + 1) * partSize));
            publish(new GatewayHeartbeat(gatewayId, now, part, parts, List.copyOf(slice)));
        }
    }

    /**
     * Queued for Kafka in order (one publishing thread), never waited for. A lost event is not reported to the client:
     * the next heartbeat carries the same truth, and presence converges without it.
     */
    private void publish(ChatEvent event) {
        publisher.publish(event);
    }
}
