package org.erpchat.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.ConnectOptions;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.OutboundListener;
import org.erpchat.gateway.session.SessionConnection;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.support.security.AuthenticatedUser;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.socket.CloseStatus;

/**
 * A session whose queue is long (a replay streaming to it) loses presence changes first, but a session that takes
 * {@code presence_batch} never loses the statuses it is owed once: the snapshot after {@code connected} and the answer
 * to {@code presence_subscribe}.
 */
class PresenceBatcherTest {

    private static final GatewayProperties PROPERTIES = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("chat.gateway", GatewayProperties.class);

    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private final PresenceBatcher batcher =
            new PresenceBatcher(new GatewayMetrics(new SimpleMeterRegistry(), new SessionRegistry(PROPERTIES)));

    @Test
    void aChangeIsDroppedFromALongQueueButAnAnswerIsQueued() {
        ChatSession session = busySession(new ConnectOptions(false, true));

        batcher.offer(session, new PresenceStatus(7, true, Instant.now()));
        batcher.flush();
        assertThat(dropped).hasSize(1).allSatisfy(frame -> assertThat(frame).contains("\"user_id\":7"));

        batcher.answer(session, new PresenceStatus(8, true, Instant.now()));
        batcher.flush();
        assertThat(dropped).hasSize(1);
    }

    @Test
    void aSeedClientsAnswerOfOneFramePerUserStaysDisposable() {
        ChatSession session = busySession(ConnectOptions.NONE);

        for (long user = 100; user < 1_100; user++) {
            batcher.answer(session, new PresenceStatus(user, true, Instant.now()));
        }
        batcher.flush();

        // A thousand frames that had to arrive would have closed the session (its queue holds 512).
        assertThat(session.isClosing()).isFalse();
        assertThat(dropped).hasSize(1_000);
    }

    /** An authenticated session with 300 frames queued behind a write that never completes. */
    private ChatSession busySession(ConnectOptions options) {
        OutboundListener recording = new OutboundListener() {
            @Override
            public void written(OutboundFrame frame) {}

            @Override
            public void dropped(OutboundFrame frame) {
                dropped.add(frame.frame().text());
            }
        };
        ChatSession session = new ChatSession("s-1", new StalledConnection(), PROPERTIES, recording);
        Instant expiry = Instant.now().plusSeconds(3600);
        session.authenticate(new Credentials(new AuthenticatedUser(1, "user 1"), "token", expiry, expiry));
        session.declare(options);
        for (int i = 0; i < 300; i++) {
            session.send(OutboundFrame.control("{\"event\":\"private_message\",\"data\":{}}"));
        }
        return session;
    }

    /** A client that reads nothing: the first write never completes. */
    private static final class StalledConnection implements SessionConnection {
        @Override
        public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {}

        @Override
        public void ping() {}

        @Override
        public void close(CloseStatus status) {}
    }
}
