package org.erpchat.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.gateway.ws.TestLifecycles.acceptingAnyTokenFor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.presence.PresenceWithoutBackends;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.ConnectOptions;
import org.erpchat.gateway.session.OutboundListener;
import org.erpchat.gateway.session.SessionRegistry;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md §6: once the gateway has decided to close a connection, what the client sends until the connection
 * is closed is neither handled nor answered.
 */
class ClientEventDispatcherTest {

    private static final long USER = 7;

    /** Room for more frames than the violations that close a connection, so that no frame is refused for its rate. */
    private final GatewayProperties properties =
            TestLifecycles.properties(Map.of("chat.gateway.inbound.burst", "1000"));

    private final SessionRegistry sessions = new SessionRegistry(properties);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordingSocket socket = new RecordingSocket();
    private final ChatSession session = new ChatSession("s-1", socket, properties, OutboundListener.NONE);
    private final SessionLifecycle lifecycle =
            TestLifecycles.lifecycle(sessions, acceptingAnyTokenFor(USER), properties);
    private final ClientEventDispatcher dispatcher = new ClientEventDispatcher(
            lifecycle,
            null, // sends, typing, reads, catch-up, resume windows: an unauthenticated client reaches none of them
            null,
            null,
            null,
            null,
            PresenceWithoutBackends.fanOut(sessions, properties),
            new GatewayMetrics(meters, sessions),
            properties);

    @Test
    void framesThatArriveAfterAnAbuseCloseIsDecidedAreNeitherHandledNorAnswered() {
        lifecycle.opened(session, null, ConnectOptions.NONE); // no token yet: it waits for an auth frame
        socket.holdWrites = true; // the client reads slowly: the close waits for the errors queued before it
        int answered = 0;
        while (!session.isClosing()) {
            dispatcher.dispatch(session, "this is not JSON");
            answered++;
        }
        double errorsCounted = clientErrors();

        dispatcher.dispatch(session, "{\"event\":\"auth\",\"data\":{\"token\":\"a.valid.token\"}}");
        dispatcher.dispatch(session, "still not JSON");
        dispatcher.binary(session);

        assertThat(session.isAuthenticated()).isFalse();
        assertThat(sessions.hasUser(USER)).isFalse();
        assertThat(clientErrors()).isEqualTo(errorsCounted);
        writeEverythingQueued();
        assertThat(socket.events).hasSize(answered + 1);
        assertThat(socket.events.subList(0, answered)).containsOnly("error");
        assertThat(socket.events.get(answered)).isEqualTo("close 1008 too many invalid or rate-limited frames");
    }

    private double clientErrors() {
        return meters.find("chat.gateway.client.errors").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private void writeEverythingQueued() {
        for (int i = 0;
                i < 1_000 && !socket.events.get(socket.events.size() - 1).startsWith("close");
                i++) {
            socket.completeHeldWrites();
        }
    }
}
