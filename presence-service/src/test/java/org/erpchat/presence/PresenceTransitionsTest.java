package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.erpchat.events.PresenceChanged;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.Test;

class PresenceTransitionsTest extends PresenceIntegrationTest {

    @Test
    void firstSessionMakesTheUserOnlineAndTheLastOneOffline() {
        long user = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            String session = gateway.open(user);

            PresenceChanged online = awaitStates(user, true).get(0);
            assertThat(online.lastSeenAt()).isNotNull();
            assertThat(presenceEvents.records().stream()
                            .filter(r -> r.event() == online)
                            .findFirst()
                            .orElseThrow()
                            .key())
                    .isEqualTo(Long.toString(user));
            await().until(() -> isOnlineInRedis(user));
            assertThat(redis.opsForHash().get(RedisKeys.userSessions(user), session))
                    .isEqualTo(gateway.id);

            gateway.close(session);

            List<PresenceChanged> events = awaitStates(user, true, false);
            assertThat(events.get(1).lastSeenAt()).isAfterOrEqualTo(online.lastSeenAt());
            assertThat(isOfflineInRedis(user)).isTrue();
            assertThat(redis.hasKey(RedisKeys.userSessions(user))).isFalse();
            assertThat(redis.opsForHash().get(RedisKeys.LAST_SEEN, Long.toString(user)))
                    .isNotNull();
        }
    }

    @Test
    void threeTabsOnTwoGatewaysStayOnlineUntilTheLastCloses() {
        long user = newId();
        try (FakeGateway first = FakeGateway.live();
                FakeGateway second = FakeGateway.live()) {
            String tab1 = first.open(user);
            String tab2 = second.open(user);
            String tab3 = first.open(user);
            await().until(() -> redis.opsForHash().size(RedisKeys.userSessions(user)) == 3);

            first.close(tab1);
            second.close(tab2);
            await().until(() -> redis.opsForHash().size(RedisKeys.userSessions(user)) == 1);
            assertThat(isOnlineInRedis(user)).isTrue();
            assertThat(statesOf(user)).containsExactly(true);

            first.close(tab3);

            awaitStates(user, true, false);
            await().until(() -> isOfflineInRedis(user));
        }
    }

    @Test
    void switchingTabsInEitherOrderDoesNotFlap() {
        long user = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            String old = gateway.open(user);
            awaitStates(user, true);

            // Open the new tab, then close the old one.
            String second = gateway.open(user);
            gateway.close(old);
            // Close the old tab first, then open the new one (a reload): the offline waits for its grace period.
            gateway.close(second);
            String third = gateway.open(user);

            await().until(() -> redis.opsForZSet().score(RedisKeys.OFFLINE_PENDING, Long.toString(user)) == null
                    && redis.opsForHash().size(RedisKeys.userSessions(user)) == 1);
            gateway.close(third);

            // Every event of a user arrives in order, so an offline/online flap would show before this final offline.
            awaitStates(user, true, false);
        }
    }

    @Test
    void aReconnectWithinTheGracePeriodIsSilentButAnOfflineAfterItIsAnnounced() {
        long user = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.close(gateway.open(user));
            List<PresenceChanged> events = awaitStates(user, true, false);
            assertThat(events.get(1).changedAt()).isAfterOrEqualTo(events.get(0).changedAt());
            await().atMost(Duration.ofSeconds(10)).until(() -> isOfflineInRedis(user));
        }
    }
}
