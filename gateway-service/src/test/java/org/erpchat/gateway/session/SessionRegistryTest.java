package org.erpchat.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.CloseCodes;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** docs/protocol.md §1: a user's sessions on one gateway are capped; opening one more closes their oldest. */
class SessionRegistryTest {

    private final SessionRegistry registry = new SessionRegistry(
            new Binder(new MapConfigurationPropertySource(Map.of("chat.gateway.max-sessions-per-user", "3")))
                    .bindOrCreate("chat.gateway", GatewayProperties.class));

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
        registry.add(session);
        return session;
    }
}
