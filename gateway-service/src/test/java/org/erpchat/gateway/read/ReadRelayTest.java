package org.erpchat.gateway.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.protocol.ClientEvent;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.RecordingConnection;
import org.erpchat.gateway.session.SessionRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.task.TaskRejectedException;

/** A read marker the gateway cannot even queue (its task pool is full) is answered, not thrown at the connection. */
class ReadRelayTest {

    private static final GatewayProperties PROPERTIES = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("chat.gateway", GatewayProperties.class);

    @Test
    void aMarkReadThePoolRefusesIsAnsweredUnavailable() {
        RecordingConnection connection = new RecordingConnection();
        ChatSession session = connection.authenticatedSession("s-1", 7);
        SessionRegistry sessions = new SessionRegistry(PROPERTIES);
        ReadRelay relay = new ReadRelay(
                null,
                sessions,
                task -> {
                    throw new TaskRejectedException("queue full");
                },
                new GatewayMetrics(new SimpleMeterRegistry(), sessions));

        relay.markRead(session, new ClientEvent.MarkRead(12, 3));

        assertThat(connection.frames())
                .singleElement()
                .satisfies(frame -> assertThat(frame)
                        .contains("\"event\":\"error\"")
                        .contains("\"code\":\"unavailable\"")
                        .contains("\"event\":\"mark_read\""));
        assertThat(session.isClosing()).isFalse();
    }
}
