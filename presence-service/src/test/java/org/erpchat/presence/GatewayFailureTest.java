package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.erpchat.events.PresenceChanged;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.Test;

/** Gateways that die without closing their sessions, and gateways that forget sessions. */
class GatewayFailureTest extends PresenceIntegrationTest {

    @Test
    void aGatewayThatStopsHeartbeatingTakesItsUsersOfflineButNotThoseWithAnotherSession() {
        long onlyOnDeadGateway = newId();
        long onBothGateways = newId();
        try (FakeGateway dying = FakeGateway.live();
                FakeGateway healthy = FakeGateway.live()) {
            dying.open(onlyOnDeadGateway);
            dying.open(onlyOnDeadGateway);
            dying.open(onBothGateways);
            String survivor = healthy.open(onBothGateways);
            awaitStates(onlyOnDeadGateway, true);
            awaitStates(onBothGateways, true);

            dying.kill();

            // Within the session TTL plus a sweep (with room for a slow machine).
            Duration bound =
                    properties.sessionTtl().plus(properties.sweepInterval()).plusSeconds(10);
            PresenceChanged offline = presenceEvents
                    .awaitEvents(PresenceChanged.class, e -> e.userId() == onlyOnDeadGateway && !e.online(), 1, bound)
                    .get(0);
            assertThat(offline.lastSeenAt()).isBeforeOrEqualTo(offline.changedAt());
            await().until(() -> isOfflineInRedis(onlyOnDeadGateway));
            await().until(() -> redis.opsForHash().size(RedisKeys.userSessions(onBothGateways)) == 1);
            assertThat(isOnlineInRedis(onBothGateways)).isTrue();
            assertThat(redis.opsForHash().keys(RedisKeys.userSessions(onBothGateways)))
                    .containsExactly(survivor);

            healthy.close(survivor);

            assertThat(awaitStates(onBothGateways, true, false)).hasSize(2);
            assertThat(statesOf(onlyOnDeadGateway)).containsExactly(true, false);
        }
    }

    @Test
    void aSessionTheGatewayNoLongerListsExpires() {
        long user = newId();
        try (FakeGateway gateway = FakeGateway.manual()) {
            gateway.open(user);
            awaitStates(user, true);

            // The gateway lost track of the session without publishing its close: its heartbeats stop listing it.
            FakeGateway forgetful = FakeGateway.live();
            try {
                List<Boolean> states = awaitStates(user, true, false).stream()
                        .map(PresenceChanged::online)
                        .toList();
                assertThat(states).containsExactly(true, false);
            } finally {
                forgetful.close();
            }
        }
    }
}
