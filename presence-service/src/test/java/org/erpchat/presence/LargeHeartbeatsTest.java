package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.erpchat.events.GatewayHeartbeat;
import org.erpchat.events.PresenceChanged;
import org.erpchat.events.SessionRef;
import org.erpchat.events.Topics;
import org.erpchat.presence.state.RedisKeys;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;

/**
 * A heartbeat record is untrusted input. One listing more sessions than a gateway ever sends in one record goes to the
 * dead-letter topic unapplied, and the records behind it are applied; a large one within the limit is applied in
 * full, a few hundred sessions per script run.
 */
class LargeHeartbeatsTest extends PresenceIntegrationTest {

    /** SessionStore.MAX_SESSIONS_PER_HEARTBEAT. */
    private static final int MAX_SESSIONS = 20_000;

    @Test
    void aHeartbeatListingMoreSessionsThanAnyGatewaySendsIsDeadLetteredAndTheConsumerContinues() {
        long flooder = newId();
        long next = newId();
        // Short session ids and one user, so that the record fits in Kafka's 1 MB (about 860 KB).
        List<SessionRef> sessions = new ArrayList<>();
        for (int i = 0; i <= MAX_SESSIONS; i++) {
            sessions.add(new SessionRef("s" + i, flooder));
        }
        try (KafkaEventCollector deadLetters =
                        KafkaEventCollector.fromNow(infrastructure, Topics.deadLetter(Topics.CONNECTION_EVENTS));
                FakeGateway gateway = FakeGateway.manual()) {
            TestEvents.publish(new GatewayHeartbeat(gateway.id, Instant.now(), 0, 1, sessions));
            // The gateway's next heartbeats: same key, same partition, so read only after the oversized one.
            gateway.openUnpublished(next);
            gateway.startHeartbeats();

            awaitStates(next, true);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> deadLetters.records().stream().anyMatch(r -> gateway.id.equals(r.key())));
            KafkaEventCollector.Received deadLetter = deadLetters.records().stream()
                    .filter(r -> gateway.id.equals(r.key()))
                    .findFirst()
                    .orElseThrow();
            assertThat(deadLetter.header("kafka_dlt-exception-message")).contains((MAX_SESSIONS + 1) + " sessions");
            // Nothing of it was applied.
            assertThat(statesOf(flooder)).isEmpty();
            assertThat(isOfflineInRedis(flooder)).isTrue();
            assertThat(redis.opsForHash().size(RedisKeys.userSessions(flooder))).isZero();
        }
    }

    @Test
    void aLargeHeartbeatWithinTheLimitIsAppliedInFull() {
        // Two full script runs and one of a single session.
        List<SessionRef> sessions = new ArrayList<>();
        Set<Long> users = new HashSet<>();
        for (int i = 0; i < 1_001; i++) {
            long user = newId();
            users.add(user);
            sessions.add(new SessionRef("s" + i, user));
        }
        try (FakeGateway gateway = FakeGateway.manual()) {
            TestEvents.publish(new GatewayHeartbeat(gateway.id, Instant.now(), 0, 1, sessions));

            await().atMost(Duration.ofSeconds(60)).until(() -> wentOnline(users).size() == users.size());
            awaitQuiet();
            // Once each (nobody heartbeats them again: they go offline a session TTL later, which is not the point).
            assertThat(wentOnline(users)).hasSize(users.size()).doesNotHaveDuplicates();
        }
    }

    private List<Long> wentOnline(Set<Long> users) {
        return presenceEvents.events(PresenceChanged.class, e -> e.online() && users.contains(e.userId())).stream()
                .map(PresenceChanged::userId)
                .toList();
    }
}
