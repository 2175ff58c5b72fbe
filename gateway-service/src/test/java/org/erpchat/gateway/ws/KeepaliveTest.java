package org.erpchat.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.OutboundListener;
import org.erpchat.gateway.session.RecordedCloses;
import org.erpchat.gateway.session.SessionConnection;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.support.security.AuthenticatedUser;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.socket.CloseStatus;

/**
 * docs/protocol.md §9: a connection from which nothing arrived for the ping interval is pinged, also while frames to
 * it are still being written. A client taking in a long replay over a slow link has its socket busy for minutes and
 * sends nothing; left unpinged it could not answer, and the idle timeout would close it as dead in the middle of the
 * replay, again after every reconnect.
 */
class KeepaliveTest {

    /** A socket whose writes never complete (a client reading slowly) and that counts pings. */
    private static final class BusySocket implements SessionConnection {
        final List<Consumer<Throwable>> writing = new ArrayList<>();
        final AtomicInteger pings = new AtomicInteger();
        final List<CloseStatus> closes = new ArrayList<>();

        @Override
        public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
            writing.add(done);
        }

        @Override
        public void ping() {
            pings.incrementAndGet();
        }

        @Override
        public void close(CloseStatus status) {
            closes.add(status);
        }
    }

    private final GatewayProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                    "chat.gateway.keepalive.ping-interval", "1ms",
                    "chat.gateway.keepalive.idle-timeout", "1h",
                    "chat.gateway.outbound.send-timeout", "1h")))
            .bindOrCreate("chat.gateway", GatewayProperties.class);

    @Test
    void aQuietConnectionIsPingedWhileAWriteToItIsInProgress() {
        BusySocket socket = new BusySocket();
        ChatSession session = new ChatSession("s-1", socket, properties, OutboundListener.NONE);
        Instant expiry = Instant.now().plus(Duration.ofHours(1));
        session.authenticate(new Credentials(new AuthenticatedUser(7, "Seven"), "token", expiry, expiry));
        SessionRegistry sessions = new SessionRegistry(properties);
        sessions.add(session);
        session.send(OutboundFrame.control("{\"event\":\"pong\",\"data\":{}}"));
        assertThat(socket.writing).hasSize(1);
        assertThat(session.outbound().isIdle()).isFalse();
        long openedAt = session.lastInboundNanos();
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - openedAt > 2_000_000);

        new Keepalive(sessions, properties).sweep();

        assertThat(socket.pings).hasValue(1);
        assertThat(socket.closes).isEmpty();
    }

    /**
     * A session closing after its last frames (an error, a failed resume_result) whose client does not read them: the
     * stuck-write watchdog closes it (4001), or the connection would stay open for as long as the client likes.
     */
    @Test
    void aSessionWhoseLastFramesAreNotReadIsClosedWhenItsWriteIsStuckTooLong() {
        GatewayProperties impatient = new Binder(new MapConfigurationPropertySource(Map.of(
                        "chat.gateway.keepalive.idle-timeout", "1h",
                        "chat.gateway.outbound.send-timeout", "1ms")))
                .bindOrCreate("chat.gateway", GatewayProperties.class);
        BusySocket socket = new BusySocket();
        RecordedCloses closes = new RecordedCloses();
        ChatSession session = new ChatSession("s-2", socket, impatient, closes);
        SessionRegistry sessions = new SessionRegistry(impatient);
        sessions.add(session);
        session.send(OutboundFrame.control("{\"event\":\"pong\",\"data\":{}}"));
        session.send(OutboundFrame.control("{\"event\":\"error\",\"data\":{}}"));
        session.closeAfterQueued(CloseCodes.INVALID_TOKEN);
        assertThat(socket.closes).isEmpty();
        long stuckSince = session.outbound().inFlightSinceNanos();
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - stuckSince > 2_000_000);

        Keepalive keepalive = new Keepalive(sessions, impatient);
        keepalive.sweep();
        keepalive.sweep();

        assertThat(socket.closes).containsExactly(CloseCodes.SLOW_CONSUMER);
        assertThat(closes.codes()).containsExactly(CloseCodes.POLICY_VIOLATION);
    }
}
