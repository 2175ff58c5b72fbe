package org.erpchat.presence;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.PresenceChanged;
import org.erpchat.events.Topics;
import org.erpchat.events.UserTyping;
import org.erpchat.presence.state.RedisKeys;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.KafkaEventCollector;
import org.erpchat.testsupport.WithRealInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.context.ActiveProfiles;

/**
 * The service with real Redis and Kafka. Every test class extends this one with nothing added, so they all share one
 * application context (one consumer group member) per test JVM. Tests use fresh user, gateway and conversation ids:
 * the servers are shared by every test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithRealInfrastructure
@ActiveProfiles("test")
abstract class PresenceIntegrationTest {

    private static final AtomicLong IDS =
            new AtomicLong(ThreadLocalRandom.current().nextLong(1_000, 1_000_000) * 1_000);

    @Autowired
    protected ChatInfrastructure infrastructure;

    @Autowired
    protected StringRedisTemplate redis;

    @Autowired
    protected PresenceProperties properties;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @LocalServerPort
    protected int port;

    protected KafkaEventCollector presenceEvents;

    static long newId() {
        return IDS.incrementAndGet();
    }

    @BeforeEach
    void connectAndSettle() {
        // The consumer must own its partitions, and the state must not be in a rebuild window (which a first start or
        // another test's FLUSHALL opens), where some transitions are deliberately silent.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> listeners.getListenerContainers().stream()
                        .allMatch(c -> c.getAssignedPartitions() != null
                                && !c.getAssignedPartitions().isEmpty()));
        await().atMost(Duration.ofSeconds(30)).until(this::outsideRebuildWindow);
        presenceEvents = KafkaEventCollector.fromNow(infrastructure, Topics.PRESENCE_EVENTS);
    }

    @AfterEach
    void closeCollector() {
        if (presenceEvents != null) {
            presenceEvents.close();
        }
    }

    protected boolean outsideRebuildWindow() {
        String since = redis.opsForValue().get(RedisKeys.DATASET_SINCE);
        return since != null
                && redisTimeMillis()
                        > Long.parseLong(since) + properties.rebuildWindow().toMillis();
    }

    protected long redisTimeMillis() {
        Long time = redis.execute(
                (RedisCallback<Long>) connection -> connection.serverCommands().time());
        return time == null ? 0 : time;
    }

    protected boolean isOnlineInRedis(long userId) {
        return Boolean.TRUE.equals(redis.hasKey(RedisKeys.userOnline(userId)))
                && Boolean.TRUE.equals(redis.opsForSet().isMember(RedisKeys.ONLINE, Long.toString(userId)));
    }

    protected boolean isOfflineInRedis(long userId) {
        return !Boolean.TRUE.equals(redis.hasKey(RedisKeys.userOnline(userId)))
                && !Boolean.TRUE.equals(redis.opsForSet().isMember(RedisKeys.ONLINE, Long.toString(userId)));
    }

    protected List<PresenceChanged> presenceOf(long userId) {
        return presenceEvents.events(PresenceChanged.class, e -> e.userId() == userId);
    }

    protected List<Boolean> statesOf(long userId) {
        return presenceOf(userId).stream().map(PresenceChanged::online).toList();
    }

    /** Waits until the user's presence events are exactly {@code states} (in order), then returns them. */
    protected List<PresenceChanged> awaitStates(long userId, Boolean... states) {
        List<Boolean> expected = List.of(states);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(userId).size() >= expected.size());
        org.assertj.core.api.Assertions.assertThat(statesOf(userId)).containsExactlyElementsOf(expected);
        return presenceOf(userId);
    }

    /** Waits for every storm user's final event, then for REST and the seed's keys to list exactly the online ones. */
    protected void awaitStormSettled(Storm storm, int restPort) {
        // Offlines within their grace period take a sweep to be announced.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> storm.users.stream().allMatch(u -> {
                    List<Boolean> states = statesOf(u.id);
                    return !states.isEmpty() && states.get(states.size() - 1) == u.online();
                }));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> onlineFromRest(restPort, storm.ids()).equals(storm.expectedOnline())
                        && onlineFromKeys(storm.ids()).equals(storm.expectedOnline()));
    }

    protected Set<Long> onlineFromRest(int restPort, Set<Long> among) {
        return RestCalls.onlineUsers(restPort, newId()).stream()
                .filter(among::contains)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** What {@code redis-cli keys "user:online:*"} lists, restricted to the given users. */
    protected Set<Long> onlineFromKeys(Set<Long> among) {
        return redis.keys(RedisKeys.USER_ONLINE_PATTERN).stream()
                .map(k -> Long.parseLong(k.substring("user:online:".length())))
                .filter(among::contains)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    protected List<UserTyping> typingOf(long conversationId, long userId) {
        return presenceEvents.events(
                UserTyping.class, e -> e.conversationId() == conversationId && e.userId() == userId);
    }

    protected <T extends ChatEvent> List<T> awaitEvents(Class<T> type, Predicate<? super T> filter, int count) {
        return presenceEvents.awaitEvents(type, filter, count);
    }
}
