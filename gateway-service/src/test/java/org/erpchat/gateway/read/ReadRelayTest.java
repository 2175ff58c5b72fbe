package org.erpchat.gateway.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.ConversationRead;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.protocol.ClientEvent;
import org.erpchat.gateway.protocol.PreparedMessage;
import org.erpchat.gateway.protocol.WireMessage;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.LiveMessage;
import org.erpchat.gateway.session.RecordingConnection;
import org.erpchat.gateway.session.SessionRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.task.TaskRejectedException;

/**
 * Read markers at the gateway's edges: one the gateway cannot even queue (its task pool is full) is answered, not
 * thrown at the connection; one read from Kafka before the message it names waits for that message.
 */
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

    @Test
    void aReadMarkerThatArrivesBeforeTheMessageItNamesReachesTheSessionAfterIt() {
        RecordingConnection connection = new RecordingConnection();
        ChatSession otherDevice = connection.authenticatedSession("s-2", 7);
        SessionRegistry sessions = new SessionRegistry(PROPERTIES);
        sessions.add(otherDevice);
        sessions.activate(otherDevice);
        ReadRelay relay =
                new ReadRelay(null, sessions, Runnable::run, new GatewayMetrics(new SimpleMeterRegistry(), sessions));
        otherDevice.offerLive(live(4));

        // User 7 read message 5 on its phone; the marker's topic was read before the message's.
        relay.deliver(new ConversationRead(12, ConversationKind.PRIVATE, 7, 5, List.of(7L, 9L), Instant.now()));
        otherDevice.offerLive(live(5));

        assertThat(connection.frames()).hasSize(3);
        assertThat(connection.frames().get(0)).contains("\"seq\":4");
        assertThat(connection.frames().get(1)).contains("\"seq\":5");
        assertThat(connection.frames().get(2))
                .contains("\"event\":\"conversation_read\"")
                .contains("\"read_seq\":5");
    }

    private static LiveMessage live(long seq) {
        return new LiveMessage(
                new PreparedMessage(new WireMessage(
                        "m-" + seq, 12, "private", seq, 9, 7L, null, "hi", "text", null, "c-" + seq, Instant.now())),
                false,
                Instant.now());
    }
}
