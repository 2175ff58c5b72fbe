package org.erpchat.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.CloseCodes;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * docs/protocol.md §1: a user's sessions on one gateway are capped; opening one more closes one that no longer answers
 * pings, else the oldest, unless that happened within the cooldown: then the new one.
 */
class SessionRegistryTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Ping interval 25 s: a session silent for more than 35 s no longer answers. */
    private long now = System.nanoTime();

    private final SessionRegistry registry = new SessionRegistry(
            new Binder(new MapConfigurationPropertySource(Map.of(
                            "chat.gateway.max-sessions-per-user", "3",
                            "chat.gateway.session-limit-cooldown", "60s")))
                    .bindOrCreate("chat.gateway", GatewayProperties.class),
            () -> now);

    @Test
    void oneSessionMoreThanTheCapEvictsTheOldest() {
        List<ChatSession> open = open(3);

        List<ChatSession> evicted = registry.activate(session("s-new"));

        assertThat(evicted).containsExactly(open.get(0));
        assertThat(registry.sessionsOf(7L)).hasSize(3);
    }

    @Test
    void sessionsAlreadyClosingMakeRoomBeforeAHealthyOneIsEvicted() {
        List<ChatSession> open = open(3);
        // Closed for reading too slowly; its socket lingers while its last frames are written.
        open.get(2).close(CloseCodes.SLOW_CONSUMER);

        ChatSession reconnected = session("s-new");
        List<ChatSession> evicted = registry.activate(reconnected);

        assertThat(evicted).isEmpty();
        assertThat(registry.sessionsOf(7L)).containsExactly(open.get(0), open.get(1), reconnected);
    }

    @Test
    void aSessionThatNoLongerAnswersPingsMakesRoomBeforeTheOldest() {
        List<ChatSession> open = open(3);
        now += 40 * SECOND;
        // The first and the last answered the pings of the last 40 s; the middle one's laptop went to sleep.
        open.get(0).touch(now - SECOND);
        open.get(2).touch(now - SECOND);

        List<ChatSession> closed = registry.activate(session("s-new"));

        assertThat(closed).containsExactly(open.get(1));
        // Not a close of an answering session: the next one over the cap still closes the oldest.
        ChatSession another = session("s-another");
        assertThat(registry.activate(another)).containsExactly(open.get(0));
    }

    @Test
    void withinTheCooldownOfClosingAnAnsweringSessionTheNewOneIsRefused() {
        List<ChatSession> open = open(3);
        ChatSession fourth = session("s-3");
        assertThat(registry.activate(fourth)).containsExactly(open.get(0));

        // The closed tab reconnects, as the seed's client does, after 1, 2, 4, 8 and 16 s.
        for (int wait : new int[] {1, 2, 4, 8, 16}) {
            now += wait * SECOND;
            keepAnswering(open.get(1), open.get(2), fourth);
            ChatSession reconnected = session("s-0-after-" + wait);
            assertThat(registry.activate(reconnected)).containsExactly(reconnected);
        }
        assertThat(registry.sessionsOf(7L)).containsExactly(open.get(1), open.get(2), fourth);

        // Past the cooldown (60 s after the close), one more closes the oldest again.
        now += 30 * SECOND;
        keepAnswering(open.get(1), open.get(2), fourth);
        ChatSession later = session("s-later");
        assertThat(registry.activate(later)).containsExactly(open.get(1));
    }

    private void keepAnswering(ChatSession... sessions) {
        for (ChatSession session : sessions) {
            session.touch(now);
        }
    }

    private List<ChatSession> open(int count) {
        List<ChatSession> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChatSession session = session("s-" + i);
            assertThat(registry.activate(session)).isEmpty();
            sessions.add(session);
        }
        return sessions;
    }

    private ChatSession session(String id) {
        ChatSession session = new RecordingConnection().authenticatedSession(id, 7);
        session.touch(now);
        registry.add(session);
        return session;
    }
}
