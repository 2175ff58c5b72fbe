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

    /**
     * The registry's clock, an hour ahead of the sessions' own: what the test does at "now" comes after everything the
     * sessions recorded by themselves (their opening, which counts as their last ping until one is sent).
     */
    private long now = System.nanoTime() + TimeUnit.HOURS.toNanos(1);

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
        // The middle one's laptop went to sleep.
        pingAll(open);
        now += SECOND;
        open.get(0).touch(now);
        open.get(2).touch(now);
        now += 11 * SECOND;

        ChatSession next = session("s-next");
        List<ChatSession> closed = registry.activate(next);

        assertThat(closed).containsExactly(open.get(1));
        assertThat(registry.sessionsOf(7L)).containsExactly(open.get(0), open.get(2), next);
    }

    @Test
    void aPingStillWithinItsGraceForAnAnswerDoesNotCount() {
        List<ChatSession> open = open(3);
        pingAll(open);
        now += SessionRegistry.UNANSWERED_PING_GRACE.toNanos();

        assertThat(registry.activate(session("s-next"))).containsExactly(open.get(0));
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

        // At the handshake too, for a token given there.
        assertThat(registry.refuses(7L)).isTrue();
        assertThat(registry.refuses(8L)).isFalse();

        // Past the cooldown (60 s after the close), one more closes the oldest again.
        now += 30 * SECOND;
        keepAnswering(open.get(1), open.get(2), fourth);
        assertThat(registry.refuses(7L)).isFalse();
        ChatSession later = session("s-later");
        assertThat(registry.activate(later)).containsExactly(open.get(1));
    }

    @Test
    void aNewSessionAlreadyClosingMakesNoRoom() {
        List<ChatSession> open = open(3);
        ChatSession leaving = session("s-leaving");
        leaving.close(CloseCodes.AUTH_TIMEOUT);

        assertThat(registry.activate(leaving)).isEmpty();
        assertThat(registry.sessionsOf(7L)).containsExactlyElementsOf(open);
    }

    /** Each of them pinged 25 s after it last sent something (the ping interval). */
    private void pingAll(List<ChatSession> sessions) {
        now += 25 * SECOND;
        sessions.forEach(session -> assertThat(session.pingDue(now, 0)).isTrue());
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
