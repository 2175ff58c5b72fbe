package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.erpchat.events.PresenceChanged;
import org.erpchat.presence.state.PresenceScripts;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Kafka frozen while transitions keep being recorded: beyond {@code outbox.max-length} the outbox drops its oldest
 * events unpublished. Every one dropped is counted, and each instance that found drops while it held the outbox lease
 * says so once, however many times it found some. Once Kafka answers again, what is left is published.
 */
@ExtendWith(OutputCaptureExtension.class)
class OutboxTrimmedTest extends PresenceIntegrationTest {

    private static final int MAX_LENGTH = 1000;
    private static final String LOGGED = "The presence outbox reached chat.presence.outbox.max-length";

    @Autowired
    private MeterRegistry meters;

    @Test
    void eventsDroppedUnpublishedWhileKafkaIsAwayAreCountedAndLoggedOncePerInstance(CapturedOutput output) {
        // Another instance whose scripts record the transitions, with the smallest cap the service accepts.
        ConfigurableApplicationContext small =
                startAnotherInstance(Map.of("chat.presence.outbox.max-length", Integer.toString(MAX_LENGTH)));
        PresenceScripts scripts = small.getBean(PresenceScripts.class);
        List<MeterRegistry> instances = List.of(meters, small.getBean(MeterRegistry.class));
        String gateway = "gw-trimmed-" + newId();
        List<Long> users = new ArrayList<>();
        try {
            // Nothing else records an event while Kafka is frozen (no session can expire, no offline is pending, nobody
            // types) and the outbox is empty: every entry that goes from it meanwhile is one the cap dropped.
            await().atMost(Duration.ofSeconds(60)).until(this::nothingLeftToRecord);
            long logged = lines(output);

            infrastructure.freezeKafka();
            try {
                // Once both instances know, session expiry is held: the sessions opened below (whose gateway never
                // sends a heartbeat) stay, and no expiry adds to the outbox while the test counts its entries.
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> instances.stream()
                                .allMatch(instance -> instance.get("chat.presence.kafka.reachable")
                                                .gauge()
                                                .value()
                                        == 0));
                open(scripts, gateway, users, MAX_LENGTH);
                assertThat(redis.opsForStream().size(RedisKeys.OUTBOX)).isEqualTo(MAX_LENGTH);
                assertThat(trimmed(instances)).isZero();
                // Three rounds, each beyond the cap (one node of about a hundred entries at a time), each awaited until
                // the lease holder found its drops: at least three findings.
                for (int round = 0; round < 3; round++) {
                    open(scripts, gateway, users, 250);
                    long dropped = users.size() - redis.opsForStream().size(RedisKeys.OUTBOX);
                    assertThat(dropped).isPositive();
                    await().atMost(Duration.ofSeconds(60)).until(() -> trimmed(instances) == dropped);
                }
                long reporting = instances.stream()
                        .filter(instance -> trimmedBy(instance) > 0)
                        .count();
                assertThat(lines(output) - logged).isEqualTo(reporting);
            } finally {
                infrastructure.thawKafka();
            }

            // What was left goes out once Kafka answers: the newest transition too.
            long newest = users.get(users.size() - 1);
            presenceEvents.awaitEvents(
                    PresenceChanged.class, e -> e.userId() == newest && e.online(), 1, Duration.ofSeconds(90));
        } finally {
            small.close();
        }
    }

    private boolean nothingLeftToRecord() {
        return zcard(RedisKeys.SESSIONS) == 0
                && zcard(RedisKeys.OFFLINE_PENDING) == 0
                && zcard(RedisKeys.TYPING) == 0
                && redis.opsForStream().size(RedisKeys.OUTBOX) == 0;
    }

    private long zcard(String key) {
        Long size = redis.opsForZSet().zCard(key);
        return size == null ? 0 : size;
    }

    /** Opens one session each for {@code count} new users: each one a transition, recorded in the outbox. */
    private static void open(PresenceScripts scripts, String gateway, List<Long> users, int count) {
        String now = Long.toString(Instant.now().toEpochMilli());
        for (int i = 0; i < count; i++) {
            long user = newId();
            users.add(user);
            // One by one: a pipeline that meets a Redis without the script runs again, and its outcomes say
            // "unchanged" for the opens the first attempt had applied.
            assertThat(scripts.run(scripts.open, List.of(Long.toString(user), "s-" + user, gateway, now)))
                    .as("user %d went online", user)
                    .isEqualTo(1L);
        }
    }

    private static long trimmed(List<MeterRegistry> instances) {
        return instances.stream().mapToLong(OutboxTrimmedTest::trimmedBy).sum();
    }

    private static long trimmedBy(MeterRegistry instance) {
        Counter counter = instance.find("chat.presence.outbox.trimmed").counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private static long lines(CapturedOutput output) {
        return output.getAll().lines().filter(line -> line.contains(LOGGED)).count();
    }
}
