package org.erpchat.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.erpchat.gateway.auth.TokenVerifier;
import org.erpchat.gateway.config.GatewayIdentity;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.presence.ConnectionEvents;
import org.erpchat.gateway.presence.PresenceWithoutBackends;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.ConnectOptions;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.OutboundListener;
import org.erpchat.gateway.session.SessionConnection;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.security.JwtProperties;
import org.erpchat.support.security.UserIdClaim;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.socket.CloseStatus;

/**
 * docs/protocol.md §1: once authenticated, the first frame a client receives is {@code connected}, whatever other
 * threads route to its user at that moment; and an {@code auth} whose token is refused is answered {@code error}
 * {@code invalid_token} before the connection closes with 1008.
 */
class SessionLifecycleTest {

    private static final long USER = 7;
    private static final Pattern EVENT = Pattern.compile("^\\{\"event\":\"([a-z_]+)\"");

    /** A socket that records, in order, each frame's event and each close; writes complete at once unless held. */
    private static final class RecordingSocket implements SessionConnection {
        final List<String> events = new ArrayList<>();
        final List<Consumer<Throwable>> held = new ArrayList<>();
        boolean holdWrites;

        @Override
        public synchronized void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
            Matcher event = EVENT.matcher(frame.text());
            events.add(event.find() ? event.group(1) : frame.text());
            if (holdWrites) {
                held.add(done);
            } else {
                done.accept(null);
            }
        }

        @Override
        public void ping() {}

        @Override
        public synchronized void close(CloseStatus status) {
            events.add("close " + status.getCode() + " " + status.getReason());
        }

        /** Completes the writes held so far; the next frame starts at once (and is held in turn). */
        void completeHeldWrites() {
            List<Consumer<Throwable>> now;
            synchronized (this) {
                now = new ArrayList<>(held);
                held.clear();
            }
            now.forEach(done -> done.accept(null));
        }
    }

    private final GatewayProperties properties = new Binder(
                    new MapConfigurationPropertySource(Map.of("chat.gateway.instance-id", "gateway-under-test")))
            .bindOrCreate("chat.gateway", GatewayProperties.class);
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

    private SessionLifecycle lifecycle(SessionRegistry sessions, TokenVerifier verifier) {
        ConnectionEvents connectionEvents =
                new ConnectionEvents(null, sessions, new GatewayIdentity(properties), properties) {
                    @Override
                    public void opened(ChatSession opened) {} // to Kafka, which this test does not have

                    @Override
                    public void closed(ChatSession closed) {}
                };
        return new SessionLifecycle(
                sessions,
                verifier,
                connectionEvents,
                PresenceWithoutBackends.fanOut(sessions, properties),
                null, // typing: only a session's end involves it
                null, // resume windows: only a client that declares a resume involves them
                new ConnectionLog(sessions),
                new GatewayIdentity(properties),
                properties);
    }

    private static Credentials credentials() {
        Instant expiry = Instant.now().plus(Duration.ofHours(1));
        return new Credentials(new AuthenticatedUser(USER, "Seven"), "token", expiry, expiry);
    }

    private static TokenVerifier refusingEveryToken() {
        return new TokenVerifier(
                token -> {
                    throw new BadJwtException("bad signature");
                },
                null,
                jwt());
    }

    private static TokenVerifier acceptingAnyTokenFor(long user) {
        return new TokenVerifier(
                token -> Jwt.withTokenValue(token)
                        .header("alg", "HS256")
                        .subject(Long.toString(user))
                        .expiresAt(Instant.now().plus(Duration.ofHours(1)))
                        .build(),
                new UserIdClaim(jwt()),
                jwt());
    }

    private static JwtProperties jwt() {
        return new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("chat.security.jwt", JwtProperties.class);
    }
}
