package org.erpchat.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.gateway.ws.TestLifecycles.acceptingAnyTokenFor;
import static org.erpchat.gateway.ws.TestLifecycles.refusingEveryToken;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.erpchat.gateway.auth.TokenVerifier;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.ConnectOptions;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.OutboundListener;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.support.security.AuthenticatedUser;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md §1: once authenticated, the first frame a client receives is {@code connected}, whatever other
 * threads route to its user at that moment; and an {@code auth} whose token is refused is answered {@code error}
 * {@code invalid_token} before the connection closes with 1008.
 */
class SessionLifecycleTest {

    private static final long USER = 7;

    private final GatewayProperties properties = TestLifecycles.properties();
    private final RecordingSocket socket = new RecordingSocket();
    private final ChatSession session = new ChatSession("s-1", socket, properties, OutboundListener.NONE);

    /**
     * A registry that, the moment a session is registered under its user, lets another thread's event reach the user
     * the way delivery does (MessageRouter, TypingRelay, ReadRelay: every session of the user, from the registry).
     */
    private final class RegistryWithEventInFlight extends SessionRegistry {
        private final String event;

        RegistryWithEventInFlight(String event) {
            super(properties);
            this.event = event;
        }

        @Override
        public List<ChatSession> activate(ChatSession registered) {
            List<ChatSession> evicted = super.activate(registered);
            for (ChatSession each : sessionsOf(registered.userId())) {
                each.send(OutboundFrame.control(ServerEvents.frame(event, Map.of("conversation_id", 42))));
            }
            return evicted;
        }
    }

    @Test
    void connectedIsTheFirstFrameEvenWhenAnEventForTheUserArrivesAsTheSessionIsRegistered() {
        SessionLifecycle lifecycle = lifecycle(new RegistryWithEventInFlight("group_updated"), null);

        lifecycle.opened(session, credentials(), ConnectOptions.NONE);

        assertThat(socket.events).containsExactly("connected", "group_updated");
    }

    @Test
    void connectedIsTheFirstFrameAfterAnAuthFrameToo() {
        SessionRegistry sessions = new RegistryWithEventInFlight("user_typing");
        SessionLifecycle lifecycle = lifecycle(sessions, acceptingAnyTokenFor(USER));
        lifecycle.opened(session, null, ConnectOptions.NONE);

        lifecycle.authenticate(session, "a.valid.token", ConnectOptions.NONE);

        assertThat(socket.events).containsExactly("connected", "user_typing");
        assertThat(sessions.sessionsOf(USER)).containsExactly(session);
    }

    @Test
    void aSessionClosedWhileItIsRegisteredLeavesTheRegistryAgain() {
        SessionRegistry sessions = new SessionRegistry(properties) {
            @Override
            public List<ChatSession> activate(ChatSession registered) {
                List<ChatSession> evicted = super.activate(registered);
                registered.close(CloseCodes.SHUTDOWN);
                return evicted;
            }
        };

        lifecycle(sessions, null).opened(session, credentials(), ConnectOptions.NONE);

        assertThat(sessions.hasUser(USER)).isFalse();
        assertThat(socket.events).endsWith("close 1012 gateway restarting, reconnect");
    }

    @Test
    void aRefusedTokenIsAnsweredBeforeTheCloseEvenWhileAnEarlierFrameIsStillBeingWritten() {
        SessionLifecycle lifecycle = lifecycle(new SessionRegistry(properties), refusingEveryToken());
        lifecycle.opened(session, null, ConnectOptions.NONE);
        socket.holdWrites = true;
        session.send(OutboundFrame.control(ServerEvents.frame("pong", new ServerEvents.Pong(Instant.now()))));

        lifecycle.authenticate(session, "not.a.token", ConnectOptions.NONE);

        assertThat(session.isClosing()).isTrue();
        assertThat(socket.events).containsExactly("pong");
        socket.completeHeldWrites();
        socket.completeHeldWrites();
        assertThat(socket.events).containsExactly("pong", "error", "close 1008 invalid token");
    }

    @Test
    void aTokenThatCannotBeCheckedIsAnsweredUnavailableAndClosedWith1013NotAsInvalid() {
        SessionLifecycle lifecycle = lifecycle(new SessionRegistry(properties), TestLifecycles.unableToCheckTokens());
        lifecycle.opened(session, null, ConnectOptions.NONE);

        lifecycle.authenticate(session, "a.good.token", ConnectOptions.NONE);

        assertThat(session.isClosing()).isTrue();
        assertThat(socket.events).containsExactly("error", "close 1013 token could not be checked, reconnect later");
        assertThat(socket.frames())
                .anySatisfy(frame ->
                        assertThat(frame).contains("\"code\":\"unavailable\"").contains("\"event\":\"auth\""));
    }

    private SessionLifecycle lifecycle(SessionRegistry sessions, TokenVerifier verifier) {
        return TestLifecycles.lifecycle(sessions, verifier, properties);
    }

    private static Credentials credentials() {
        Instant expiry = Instant.now().plus(Duration.ofHours(1));
        return new Credentials(new AuthenticatedUser(USER, "Seven"), "token", expiry, expiry);
    }
}
