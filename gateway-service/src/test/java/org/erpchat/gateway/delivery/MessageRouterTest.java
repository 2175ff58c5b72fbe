package org.erpchat.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.ConversationRead;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.GroupMembershipChanged.Change;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageType;
import org.erpchat.gateway.config.GatewayIdentity;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.presence.PresenceWithoutBackends;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.RecordingConnection;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.gateway.typing.ConversationDirectory;
import org.erpchat.gateway.typing.TypingRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * What the router writes to whom: a moved read marker reaches each session after the message it names (both are read
 * from the same partition, the message first, and both are written by the session's fan-out lane, however far behind
 * that lane is); a change of a large group names each affected user in that user's own frame only.
 */
class MessageRouterTest {

    private static final GatewayProperties PROPERTIES = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("chat.gateway", GatewayProperties.class);

    private final SessionRegistry sessions = new SessionRegistry(PROPERTIES);
    private final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), sessions);
    private final FanOutLanes lanes = new FanOutLanes(1, 100);
    private final ConversationDirectory conversations = new ConversationDirectory(null);
    private final MessageRouter router = new MessageRouter(
            sessions,
            null, // no gap in these messages: no catch-up
            conversations,
            PresenceWithoutBackends.fanOut(sessions, PROPERTIES),
            new TypingRelay(conversations, null, sessions, Runnable::run, metrics),
            metrics,
            lanes,
            new GatewayIdentity(PROPERTIES));

    @AfterEach
    void stopLanes() throws InterruptedException {
        lanes.destroy();
    }

    @Test
    void aMarkerReadRightAfterItsMessageWaitsForItInTheLaneAndIsSentAfterIt() {
        // A session that has received nothing of the conversation yet: its stream has no position to hold a marker by.
        RecordingConnection phone = new RecordingConnection();
        ChatSession session = phone.authenticatedSession("s-7", 7);
        sessions.add(session);
        sessions.activate(session);
        // The lane is busy with other sessions' writes while the next two records are read.
        CountDownLatch busy = new CountDownLatch(1);
        lanes.forEach(List.of(new Object()), target -> awaitQuietly(busy));

        router.messageCreated(message(5));
        router.conversationRead(
                new ConversationRead(12, ConversationKind.PRIVATE, 7, 5, List.of(7L, 9L), Instant.now()));
        busy.countDown();

        await().until(() -> phone.frames().size() == 2);
        assertThat(phone.frames().get(0)).contains("\"seq\":5");
        assertThat(phone.frames().get(1))
                .contains("\"event\":\"conversation_read\"")
                .contains("\"read_seq\":5");
    }

    @Test
    void aChangeAffectingTooManyUsersToListNamesEachAffectedUserInTheirOwnFrame() {
        RecordingConnection added = connected(1_500);
        RecordingConnection member = connected(2);
        List<Long> newcomers = LongStream.rangeClosed(1_000, 2_500).boxed().toList();
        List<Long> members = LongStream.rangeClosed(1, 2_500).boxed().toList();

        router.membershipChanged(new GroupMembershipChanged(
                31, "All staff", Change.MEMBERS_ADDED, 1, newcomers, members, Instant.now()));

        await().until(() -> added.frames().size() == 1 && member.frames().size() == 1);
        assertThat(added.frames().get(0))
                .contains("\"affected_user_ids\":[1500]")
                .contains("\"affected_count\":1501")
                .contains("\"member_ids\":null")
                .contains("\"member_count\":2500");
        assertThat(member.frames().get(0))
                .contains("\"affected_user_ids\":null")
                .contains("\"affected_count\":1501");
    }

    private RecordingConnection connected(long userId) {
        RecordingConnection connection = new RecordingConnection();
        ChatSession session = connection.authenticatedSession("s-" + userId, userId);
        sessions.add(session);
        sessions.activate(session);
        return connection;
    }

    private static MessageCreated message(long seq) {
        return new MessageCreated(
                UUID.randomUUID().toString(),
                12,
                ConversationKind.PRIVATE,
                seq,
                9,
                List.of(7L, 9L),
                MessageType.TEXT,
                "hi",
                null,
                "c-" + seq,
                Instant.now(),
                null);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
