package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import org.erpchat.events.ConnectionClosed;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.GatewayHeartbeat;
import org.erpchat.events.SessionRef;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Duplicates and reordering: delivery is at least once, and a heartbeat (keyed by gateway) and a close (keyed by
 * user) travel on different partitions. None of it may corrupt the state or produce an extra event. Each test ends
 * with a real transition as a witness: a user's events arrive in order, so anything extra would show before it.
 */
class OutOfOrderEventsTest extends PresenceIntegrationTest {

    @Autowired
    private MeterRegistry meters;

    private final String gateway = "gw-ooo-" + newId();

    @Test
    void aCloseBeforeItsOpenKeepsTheSessionClosed() {
        long user = newId();
        close(user, "late");
        open(user, "late");
        // The witness: a real session.
        open(user, "real");
        awaitStates(user, true);
        assertThat(redis.opsForHash().keys(RedisKeys.userSessions(user))).containsExactly("real");
        close(user, "real");
        awaitStates(user, true, false);
    }

    @Test
    void aDuplicateOpenChangesNothing() {
        long user = newId();
        open(user, "s1");
        open(user, "s1");
        open(user, "s1");
        close(user, "s1");
        awaitStates(user, true, false);
        await().until(() -> isOfflineInRedis(user));
        assertThat(redis.hasKey(RedisKeys.userSessions(user))).isFalse();
    }

    @Test
    void closingAnUnknownSessionOrClosingTwiceChangesNothing() {
        long user = newId();
        close(user, "never-opened");
        open(user, "s1");
        open(user, "s2");
        close(user, "s1");
        close(user, "s1");
        close(user, "never-opened-either");
        awaitStates(user, true);
        await().until(() -> redis.opsForHash().size(RedisKeys.userSessions(user)) == 1);
        assertThat(isOnlineInRedis(user)).isTrue();
        close(user, "s2");
        close(user, "s2");
        awaitStates(user, true, false);
    }

    @Test
    void aHeartbeatProcessedAfterTheCloseOfASessionItListsDoesNotResurrectIt() {
        long user = newId();
        open(user, "s1");
        close(user, "s1");
        // Sent while the session was still open, processed after its close.
        TestEvents.publish(new GatewayHeartbeat(gateway, Instant.now(), 0, 1, List.of(new SessionRef("s1", user))));
        open(user, "s2");
        close(user, "s2");
        awaitStates(user, true, false);
        assertThat(redis.opsForZSet().score(RedisKeys.SESSIONS, user + ":s1")).isNull();
    }

    @Test
    void aHeartbeatThatArrivesBeforeTheOpenAnnouncesOnlineOnce() {
        long user = newId();
        TestEvents.publish(new GatewayHeartbeat(gateway, Instant.now(), 0, 1, List.of(new SessionRef("s1", user))));
        open(user, "s1");
        awaitStates(user, true);
        close(user, "s1");
        awaitStates(user, true, false);
    }

    @Test
    void aStaleHeartbeatIsIgnored() {
        long user = newId();
        double staleBefore = staleHeartbeats();
        Instant longAgo = Instant.now().minus(properties.sessionTtl().multipliedBy(3));
        TestEvents.publish(new GatewayHeartbeat(gateway, longAgo, 0, 1, List.of(new SessionRef("old", user))));
        await().until(() -> staleHeartbeats() > staleBefore);
        open(user, "s1");
        awaitStates(user, true);
        assertThat(redis.opsForHash().keys(RedisKeys.userSessions(user))).containsExactly("s1");
        close(user, "s1");
        awaitStates(user, true, false);
    }

    @Test
    void anOpenReadMoreThanASessionTtlAfterItWasMadeIsIgnored() {
        long user = newId();
        double staleBefore = stale("ConnectionOpened");
        // Read after a backlog (a Redis outage, a consumer far behind): if the session still lived, its gateway's
        // heartbeats would list it; this one closed long ago, and its close would only follow.
        Instant longAgo = Instant.now().minus(properties.sessionTtl()).minusSeconds(30);
        TestEvents.publish(new ConnectionOpened(gateway, "old", user, longAgo));
        await().until(() -> stale("ConnectionOpened") > staleBefore);
        open(user, "s1");
        awaitStates(user, true);
        assertThat(redis.opsForHash().keys(RedisKeys.userSessions(user))).containsExactly("s1");
        close(user, "s1");
        awaitStates(user, true, false);
    }

    private double staleHeartbeats() {
        return stale("GatewayHeartbeat");
    }

    private double stale(String type) {
        Counter counter = meters.find("chat.presence.connection.events")
                .tags("type", type, "outcome", "STALE")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private void open(long user, String session) {
        TestEvents.publish(new ConnectionOpened(gateway, session, user, Instant.now()));
    }

    private void close(long user, String session) {
        TestEvents.publish(new ConnectionClosed(gateway, session, user, Instant.now()));
    }
}
