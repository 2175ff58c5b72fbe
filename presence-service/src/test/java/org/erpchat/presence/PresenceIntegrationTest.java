package org.erpchat.presence;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
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
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
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
    protected KafkaListenerEndpointRegistry listeners;

    @LocalServerPort
    protected int port;

    protected KafkaEventCollector presenceEvents;

    private Map<TopicPartition, Long> presenceStart;

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
        // Taken after the collector positioned itself, so it will see every record from these offsets on.
        presenceStart = KafkaOffsets.endOffsets(Topics.PRESENCE_EVENTS);
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

    /**
     * Waits until the user has at least as many presence events as {@code states}, then until everything is quiet
     * (see {@link #awaitQuiet}), and asserts the user's events are exactly {@code states}, in order. Waiting for quiet
     * is what makes "exactly" mean something: an extra event (a flap) cannot still be on its way.
     */
    protected List<PresenceChanged> awaitStates(long userId, Boolean... states) {
        List<Boolean> expected = List.of(states);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(userId).size() >= expected.size());
        awaitQuiet(userId);
        org.assertj.core.api.Assertions.assertThat(statesOf(userId)).containsExactlyElementsOf(expected);
        return presenceOf(userId);
    }

    /**
     * Waits until every connection event published so far has been processed, none of {@code userIds} waits for
     * its offline grace period, every recorded event has been published, and the collector has read all of them.
     */
    protected void awaitQuiet(long... userIds) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (KafkaOffsets.lag(Topics.CONNECTION_EVENTS) > 0) {
                return false;
            }
            for (long userId : userIds) {
                if (redis.opsForZSet().score(RedisKeys.OFFLINE_PENDING, Long.toString(userId)) != null) {
                    return false;
                }
            }
            Long backlog = redis.opsForStream().size(RedisKeys.OUTBOX);
            if (backlog != null && backlog > 0) {
                return false;
            }
            return collectorHasRead(KafkaOffsets.endOffsets(Topics.PRESENCE_EVENTS));
        });
    }

    private boolean collectorHasRead(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            long start = presenceStart.getOrDefault(end.getKey(), 0L);
            if (end.getValue() > start
                    && presenceEvents.records().stream()
                            .noneMatch(r ->
                                    r.partition() == end.getKey().partition() && r.offset() >= end.getValue() - 1)) {
                return false;
            }
        }
        return true;
    }

    /** Waits for every storm user's final event, then for REST and the seed's keys to list exactly the online ones. */
    protected void awaitStormSettled(Storm storm, int restPort) {
        // Offlines within their grace period take a sweep to be announced.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> storm.users.stream().allMatch(u -> {
                    List<Boolean> states = statesOf(u.id);
                    return !states.isEmpty() && states.get(states.size() - 1) == u.online();
                }));
        awaitQuiet(storm.users.stream().mapToLong(u -> u.id).toArray());
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

    /**
     * Another instance of the service: a full application context in this JVM on the same Redis and Kafka, with the
     * test profile and {@code overrides} on top. Close it when done.
     */
    protected ConfigurableApplicationContext startAnotherInstance(Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>(infrastructure.springProperties());
        props.put("server.port", "0");
        props.put("spring.main.banner-mode", "off");
        props.putAll(overrides);
        // As command-line arguments: they must win over application.yml (builder properties would not).
        String[] args = props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(PresenceServiceApplication.class)
                .profiles("test")
                .run(args);
    }
}
