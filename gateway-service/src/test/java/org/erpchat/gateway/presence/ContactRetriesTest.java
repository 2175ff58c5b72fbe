package org.erpchat.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.gateway.session.OutboundListener;
import org.erpchat.gateway.session.RecordingConnection;
import org.erpchat.support.security.AuthenticatedUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.CloseStatus;

/** A failed contacts load is tried again, once per user, until it works or the user's sessions are gone. */
class ContactRetriesTest {

    private static final GatewayProperties PROPERTIES = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("chat.gateway", GatewayProperties.class);

    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<Long, Integer> failuresBeforeSuccess = new ConcurrentHashMap<>();
    private final List<Loaded> loaded = new CopyOnWriteArrayList<>();

    private record Loaded(long user, List<String> sessionIds) {}

    ContactRetriesTest() {
        scheduler.initialize();
    }

    @AfterEach
    void stop() {
        scheduler.shutdown();
    }

    private final LongFunction<CompletableFuture<Void>> load = user -> {
        int attempt = attempts.computeIfAbsent(user, key -> new AtomicInteger()).incrementAndGet();
        return attempt > failuresBeforeSuccess.getOrDefault(user, 0)
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new IllegalStateException("message-service away"));
    };

    private final ContactRetries retries = new ContactRetries(
            scheduler,
            load,
            (Long user, Collection<ChatSession> sessions) -> loaded.add(
                    new Loaded(user, sessions.stream().map(ChatSession::id).toList())),
            Duration.ofMillis(5),
            Duration.ofMillis(40));

    @Test
    void theLoadIsTriedAgainUntilItWorksThenEveryWaitingSessionIsServedOnce() {
        failuresBeforeSuccess.put(7L, 3);
        ChatSession first = session("a", 7);
        ChatSession second = session("b", 7);

        retries.retryFor(first);
        retries.retryFor(second);

        await().untilAsserted(() -> assertThat(loaded).hasSize(1));
        assertThat(loaded.get(0).user()).isEqualTo(7L);
        assertThat(loaded.get(0).sessionIds()).containsExactlyInAnyOrder("a", "b");
        // One chain of attempts for the user, not one per session: three failures, then the load that worked.
        assertThat(attempts.get(7L)).hasValue(4);
        assertThat(retries.waitingUsers()).isZero();
    }

    @Test
    void aUserWhoseSessionsAllClosedIsNoLongerTried() {
        failuresBeforeSuccess.put(8L, Integer.MAX_VALUE);
        ChatSession session = session("c", 8);
        retries.retryFor(session);
        await().until(() -> attempts.containsKey(8L) && attempts.get(8L).get() >= 2);

        session.connectionClosed(CloseStatus.NORMAL);

        await().until(() -> retries.waitingUsers() == 0);
        int afterClose = attempts.get(8L).get();
        // Further attempts would come every 40 ms at most: for five times that, none does.
        await().during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(5))
                .until(() -> attempts.get(8L).get() == afterClose);
        assertThat(loaded).isEmpty();
    }

    @Test
    void aSessionThatClosedWhileWaitingIsNotServed() {
        failuresBeforeSuccess.put(9L, 2);
        ChatSession gone = session("d", 9);
        ChatSession staying = session("e", 9);
        retries.retryFor(gone);
        retries.retryFor(staying);
        gone.connectionClosed(CloseStatus.NORMAL);

        await().untilAsserted(() -> assertThat(loaded).hasSize(1));
        assertThat(loaded.get(0).sessionIds()).containsExactly("e");
    }

    @Test
    void theBackoffDoublesUpToItsLimit() {
        assertThat(List.of(1, 2, 3, 4, 5, 40).stream().map(retries::backoff))
                .containsExactly(
                        Duration.ofMillis(5),
                        Duration.ofMillis(10),
                        Duration.ofMillis(20),
                        Duration.ofMillis(40),
                        Duration.ofMillis(40),
                        Duration.ofMillis(40));
    }

    private static ChatSession session(String id, long user) {
        ChatSession session = new ChatSession(id, new RecordingConnection(), PROPERTIES, OutboundListener.NONE);
        Instant expiry = Instant.now().plusSeconds(3600);
        session.authenticate(new Credentials(new AuthenticatedUser(user, "user " + user), "token", expiry, expiry));
        return session;
    }
}
