package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.PresenceChanged;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.RedisCallback;

/** Redis restarted empty (here: FLUSHALL through a real connection) and state rebuilt from the gateways' heartbeats. */
class RedisRebuildTest extends PresenceIntegrationTest {

    @AfterEach
    void leaveTheRebuildWindow() {
        // Later tests expect normal (non-rebuild) behaviour.
        await().atMost(Duration.ofSeconds(30)).until(this::outsideRebuildWindow);
    }

    @Test
    void stateIsRebuiltFromHeartbeatsWithoutFalseOfflineOrOnlineEvents() {
        long twoTabs = newId();
        long oneTab = newId();
        try (FakeGateway first = FakeGateway.live();
                FakeGateway second = FakeGateway.live()) {
            first.open(twoTabs);
            second.open(twoTabs);
            String only = second.open(oneTab);
            awaitStates(twoTabs, true);
            awaitStates(oneTab, true);
            await().until(() -> redis.opsForHash().size(RedisKeys.userSessions(twoTabs)) == 2);

            flushAll();

            // The next heartbeats put everything back...
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> isOnlineInRedis(twoTabs)
                            && isOnlineInRedis(oneTab)
                            && redis.opsForHash().size(RedisKeys.userSessions(twoTabs)) == 2
                            && redis.opsForHash().size(RedisKeys.userSessions(oneTab)) == 1);
            assertThat(redis.opsForZSet().zCard(RedisKeys.SESSIONS)).isGreaterThanOrEqualTo(3);

            // ... silently: the only events after the flush are the real offlines that end this test.
            second.close(only);
            first.closeAll();
            second.closeAll();
            List<PresenceChanged> oneTabEvents = awaitStates(oneTab, true, false);
            List<PresenceChanged> twoTabsEvents = awaitStates(twoTabs, true, false);
            assertThat(oneTabEvents).hasSize(2);
            assertThat(twoTabsEvents).hasSize(2);
        }
    }

    @Test
    void aCloseThatArrivesBeforeAnyHeartbeatAfterDataLossStillTakesTheUserOffline() {
        long user = newId();
        try (FakeGateway gateway = FakeGateway.manual()) {
            String session = gateway.open(user);
            awaitStates(user, true);

            flushAll();
            gateway.close(session);

            // Redis forgot the session, but clients were told the user is online: no ghost.
            awaitStates(user, true, false);
            await().until(() -> isOfflineInRedis(user));
        }
    }

    @Test
    void aUserWhoConnectsInTheWindowIsAnnouncedWhenTheOpenArrivesAfterAHeartbeatListedTheSession() {
        long user = newId();
        try (FakeGateway gateway = FakeGateway.manual()) {
            flushAll();
            String session = gateway.openUnpublished(user);
            gateway.heartbeat();
            await().until(() -> isOnlineInRedis(user));
            // The heartbeat alone cannot tell a new user from one who was online before the loss: silent so far.
            awaitQuiet(user);
            assertThat(presenceOf(user)).isEmpty();

            gateway.publishOpen(session);

            // The open says the session is new: the user is announced, once (a duplicate open changes nothing).
            awaitStates(user, true);
            gateway.publishOpen(session);
            gateway.closeAll();
            awaitStates(user, true, false);
        }
    }

    @Test
    void anOpenOlderThanASessionTtlIsStillAppliedInTheWindow() {
        long user = newId();
        try (FakeGateway gateway = FakeGateway.manual()) {
            flushAll();
            // The user connected while Redis was away: its open waited in a backlog, and is read within the window
            // (where a heartbeat would restore the user silently, so only the open can tell anyone).
            String session = gateway.openUnpublished(user);
            Instant longAgo = Instant.now().minus(properties.sessionTtl()).minusSeconds(30);
            TestEvents.publish(new ConnectionOpened(gateway.id, session, user, longAgo));

            awaitStates(user, true);
            gateway.closeAll();
            awaitStates(user, true, false);
        }
    }

    @Test
    void opensAndClosesAreStillAppliedWhenRedisNoLongerHoldsTheScripts() {
        long user = newId();
        long other = newId();
        try (FakeGateway gateway = FakeGateway.manual()) {
            // A restarted Redis has lost the scripts as well as the data; opens and closes go to Redis pipelined, by
            // script digest, and must load them again rather than fail.
            redis.execute((RedisCallback<Void>) connection -> {
                connection.scriptingCommands().scriptFlush();
                return null;
            });
            String session = gateway.open(user);
            gateway.open(other);
            gateway.close(session);

            awaitStates(user, true, false);
            awaitStates(other, true);
            await().until(() -> isOfflineInRedis(user) && isOnlineInRedis(other));
        }
    }

    private void flushAll() {
        redis.execute((RedisCallback<Void>) connection -> {
            connection.serverCommands().flushAll();
            return null;
        });
    }
}
