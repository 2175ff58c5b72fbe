package org.erpchat.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.presence.PresenceWithoutBackends;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.RecordingConnection;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.gateway.typing.TypingRelay;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md §3 and §10: typing frames beyond their own allowance are dropped without an answer, except a stop,
 * which is always passed on.
 */
class TypingAllowanceTest {

    private final GatewayProperties properties = TestLifecycles.properties(Map.of());
    private final SessionRegistry sessions = new SessionRegistry(properties);
    private final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), sessions);
    /** The typing frames the relay took (it hands each to its pool before looking at it). */
    private final List<Runnable> relayed = new CopyOnWriteArrayList<>();

    private final TypingRelay typing = new TypingRelay(null, null, sessions, relayed::add, metrics);
    private final ClientEventDispatcher dispatcher = new ClientEventDispatcher(
            null, // lifecycle, sends, reads, catch-up, resume windows: typing reaches none of them
            null,
            typing,
            null,
            null,
            null,
            PresenceWithoutBackends.fanOut(sessions, properties),
            metrics,
            properties);

    @Test
    void aStopBeyondTheTypingAllowanceIsStillPassedOnAndAStartIsNot() {
        RecordingConnection connection = new RecordingConnection();
        ChatSession session = connection.authenticatedSession("s-1", 7);
        int before;
        do {
            before = relayed.size();
            dispatcher.dispatch(session, "{\"event\":\"typing\",\"data\":{\"conversation_id\":12}}");
        } while (relayed.size() > before);
        // The allowance is spent: the start just sent was dropped.

        dispatcher.dispatch(session, "{\"event\":\"typing\",\"data\":{\"conversation_id\":12,\"is_typing\":false}}");

        assertThat(relayed).hasSize(before + 1);
        assertThat(session.isClosing()).isFalse();
        assertThat(connection.frames()).isEmpty();
    }
}
