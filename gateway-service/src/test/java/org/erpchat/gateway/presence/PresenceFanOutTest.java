package org.erpchat.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageType;
import org.erpchat.gateway.backend.MessageServiceClient;
import org.erpchat.gateway.backend.PresenceServiceClient;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.RecordingConnection;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.gateway.support.JsonBackend;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** What the message and membership events teach the contact directory, and what they must not. */
class PresenceFanOutTest {

    private static final GatewayProperties PROPERTIES = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("chat.gateway", GatewayProperties.class);

    private final ContactDirectory contacts = new ContactDirectory(Duration.ofMinutes(10));
    private final SessionRegistry sessions = new SessionRegistry(PROPERTIES);
    private final PresenceFanOut fanOut = new PresenceFanOut(
            contacts,
            new PresenceSubscriptions(),
            new PresenceBatcher(new GatewayMetrics(new SimpleMeterRegistry(), sessions)),
            sessions,
            null,
            null,
            task -> {}, // no backend call ever runs
            task -> {},
            null,
            PROPERTIES);

    @Test
    void aPrivateMessageMakesItsTwoUsersContactsButARecordListingMoreTeachesNothing() {
        contacts.load(1, List.of());

        fanOut.learn(privateMessage(List.of(1L, 2L, 3L)));
        assertThat(contacts.contactsOf(1)).isEmpty();

        fanOut.learn(privateMessage(List.of(1L, 2L)));
        assertThat(contacts.contactsOf(1)).containsExactly(2L);
    }

    @Test
    void aRemovalFromAGroupTooLargeToMakeContactsKeepsWhatIsRetained() {
        contacts.load(1, List.of(2L));
        contacts.drop(1);
        List<Long> many = LongStream.rangeClosed(1, 60).boxed().toList();

        fanOut.learn(removal(many, List.of(99L)));
        assertThat(contacts.isRetained(1)).isTrue();

        fanOut.learn(removal(List.of(1L, 2L), List.of(99L)));
        assertThat(contacts.isRetained(1)).isFalse();
    }

    /**
     * A group that made its members contacts while it was small keeps what it taught once it grows: a removal from it
     * then reloads those who count the removed user as a contact (from message-service, here a real HTTP server that
     * answers for user 1), and nobody else.
     */
    @Test
    void aRemovalFromALargeGroupReloadsOnlyThoseWhoCountedTheRemovedUserAsAContact() {
        AtomicInteger batches = new AtomicInteger();
        try (JsonBackend messageService = JsonBackend.start().answer("/api/contacts/batch", () -> {
            batches.incrementAndGet();
            return "{\"results\":[{\"user_id\":1,\"user_ids\":[2]}]}";
        })) {
            GatewayProperties properties = messageService.properties();
            SessionRegistry registry = new SessionRegistry(properties);
            PresenceFanOut reloading = new PresenceFanOut(
                    contacts,
                    new PresenceSubscriptions(),
                    new PresenceBatcher(new GatewayMetrics(new SimpleMeterRegistry(), registry)),
                    registry,
                    new MessageServiceClient(properties),
                    null,
                    Runnable::run,
                    Runnable::run,
                    null,
                    properties);
            ChatSession session = new RecordingConnection().authenticatedSession("s-1", 1);
            registry.add(session);
            registry.activate(session);
            contacts.load(1, List.of(99L));
            List<Long> large = LongStream.rangeClosed(1, 60).boxed().toList();

            reloading.learn(removal(large, List.of(77L)));
            assertThat(batches).hasValue(0);

            reloading.learn(removal(large, List.of(99L)));
            assertThat(batches).hasValue(1);
            assertThat(contacts.contactsOf(1)).containsExactly(2L);
        }
    }

    /**
     * A session that opens while the task pool refuses work (its queue full) is not closed for it: its contacts are
     * loaded by the retries (from message-service, here a real HTTP server that answers for user 1).
     */
    @Test
    void aSessionOpenedWhileThePoolRefusesWorkGetsItsContactsLater() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.initialize();
        try (JsonBackend backends = JsonBackend.start()
                .answer("/api/contacts/batch", "{\"results\":[{\"user_id\":1,\"user_ids\":[2]}]}")
                .answer("/api/presence/query", "[{\"user_id\":2,\"is_online\":true}]")) {
            GatewayProperties properties = backends.properties("chat.gateway.presence.contacts-retry-backoff", "20ms");
            SessionRegistry registry = new SessionRegistry(properties);
            AtomicInteger refusals = new AtomicInteger(1);
            PresenceFanOut busy = new PresenceFanOut(
                    contacts,
                    new PresenceSubscriptions(),
                    new PresenceBatcher(new GatewayMetrics(new SimpleMeterRegistry(), registry)),
                    registry,
                    new MessageServiceClient(properties),
                    new PresenceServiceClient(properties),
                    task -> {
                        if (refusals.getAndDecrement() > 0) {
                            throw new TaskRejectedException("queue full");
                        }
                        task.run();
                    },
                    Runnable::run,
                    scheduler,
                    properties);
            ChatSession session = new RecordingConnection().authenticatedSession("s-1", 1);
            registry.add(session);
            registry.activate(session);

            busy.sessionOpened(session);

            assertThat(session.isClosing()).isFalse();
            await().untilAsserted(() -> assertThat(contacts.contactsOf(1)).containsExactly(2L));
        } finally {
            scheduler.shutdown();
        }
    }

    private static MessageCreated privateMessage(List<Long> recipients) {
        return new MessageCreated(
                UUID.randomUUID().toString(),
                10,
                ConversationKind.PRIVATE,
                1,
                recipients.get(0),
                recipients,
                MessageType.TEXT,
                "hi",
                null,
                "c-1",
                Instant.now(),
                null);
    }

    private static GroupMembershipChanged removal(List<Long> members, List<Long> removed) {
        return new GroupMembershipChanged(
                20, "team", GroupMembershipChanged.Change.MEMBERS_REMOVED, 1, removed, members, Instant.now());
    }
}
