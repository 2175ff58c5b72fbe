package org.erpchat.gateway.typing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.GroupMembershipChanged.Change;
import org.erpchat.events.UserTyping;
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

/**
 * Typing at the gateway's edges: a frame the gateway cannot even queue (its task pool is full) is answered, not thrown
 * at the connection; a group's typing reaches only those still in the group.
 */
class TypingRelayTest {

    private static final GatewayProperties PROPERTIES = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("chat.gateway", GatewayProperties.class);

    @Test
    void aTypingFrameThePoolRefusesIsAnsweredUnavailable() {
        RecordingConnection connection = new RecordingConnection();
        ChatSession session = connection.authenticatedSession("s-1", 7);
        SessionRegistry sessions = new SessionRegistry(PROPERTIES);
        TypingRelay relay = new TypingRelay(
                null,
                null,
                sessions,
                task -> {
                    throw new TaskRejectedException("queue full");
                },
                new GatewayMetrics(new SimpleMeterRegistry(), sessions));

        relay.typing(session, new ClientEvent.Typing(12L, null, null, true, "user_typing"));

        assertThat(connection.frames())
                .singleElement()
                .satisfies(frame -> assertThat(frame)
                        .contains("\"event\":\"error\"")
                        .contains("\"code\":\"unavailable\"")
                        .contains("\"event\":\"user_typing\""));
        assertThat(session.isClosing()).isFalse();
    }

    @Test
    void aGroupsTypingReachesNoMemberRemovedSinceItStarted() {
        SessionRegistry sessions = new SessionRegistry(PROPERTIES);
        RecordingConnection stillIn = new RecordingConnection();
        RecordingConnection removed = new RecordingConnection();
        for (ChatSession session :
                List.of(stillIn.authenticatedSession("s-7", 7), removed.authenticatedSession("s-8", 8))) {
            sessions.add(session);
            sessions.activate(session);
        }
        ConversationDirectory directory = new ConversationDirectory(null);
        directory.learn(new GroupMembershipChanged(
                31, "Sales", Change.MEMBERS_REMOVED, 5, List.of(8L), List.of(5L, 7L), Instant.now()));
        TypingRelay relay = new TypingRelay(
                directory, null, sessions, Runnable::run, new GatewayMetrics(new SimpleMeterRegistry(), sessions));

        // The stop of a typing that started while 8 was a member: presence-service names the members of then.
        relay.deliver(new UserTyping(31, ConversationKind.GROUP, 5, List.of(7L, 8L), false, Instant.now()));

        assertThat(stillIn.frames())
                .singleElement()
                .satisfies(frame -> assertThat(frame)
                        .contains("\"event\":\"user_typing\"")
                        .contains("\"group_id\":31")
                        .contains("\"is_typing\":false"));
        assertThat(removed.frames()).isEmpty();
    }

    @Test
    void aGroupNoMembershipOfWhichPassedByReachesEveryRecipientNamed() {
        SessionRegistry sessions = new SessionRegistry(PROPERTIES);
        RecordingConnection connection = new RecordingConnection();
        ChatSession session = connection.authenticatedSession("s-8", 8);
        sessions.add(session);
        sessions.activate(session);
        TypingRelay relay = new TypingRelay(
                new ConversationDirectory(null),
                null,
                sessions,
                Runnable::run,
                new GatewayMetrics(new SimpleMeterRegistry(), sessions));

        relay.deliver(new UserTyping(31, ConversationKind.GROUP, 5, List.of(7L, 8L), true, Instant.now()));

        assertThat(connection.frames())
                .singleElement()
                .satisfies(frame -> assertThat(frame).contains("\"is_typing\":true"));
    }
}
