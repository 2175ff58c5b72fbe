package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.erpchat.events.PresenceChanged;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.listener.MessageListenerContainer;

/** Gateways that die without closing their sessions, and gateways that forget sessions. */
class GatewayFailureTest extends PresenceIntegrationTest {

    @Autowired
    private MeterRegistry meters;

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

    @Test
    void afterEverySweeperWasPausedSessionsAreNotExpiredUntilConsumersCaughtUpOnHeartbeats() {
        long refreshed = newId();
        long dead = newId();
        try (FakeGateway catchingUp = FakeGateway.manual();
                FakeGateway gone = FakeGateway.manual()) {
            String session = catchingUp.open(refreshed);
            gone.open(dead);
            awaitStates(refreshed, true);
            awaitStates(dead, true);
            double expiry = redis.opsForZSet().score(RedisKeys.SESSIONS, refreshed + ":" + session);
            // Let most of the session's TTL pass, then pretend no instance has swept for an hour.
            await().atMost(Duration.ofSeconds(30)).until(() -> redisTimeMillis() > expiry - 1_000);
            pretendNobodySweptForAnHour();
            await().until(() -> Boolean.TRUE.equals(redis.hasKey(RedisKeys.SWEEP_RESUME_AT)));

            // Past the session's expiry, a heartbeat the consumer was late to apply still finds it alive.
            await().atMost(Duration.ofSeconds(30)).until(() -> redisTimeMillis() > expiry);
            catchingUp.heartbeat();

            // The session nobody vouches for expires once the warm-up is over.
            Duration bound = properties.sessionTtl().multipliedBy(2).plusSeconds(10);
            presenceEvents.awaitEvents(PresenceChanged.class, e -> e.userId() == dead && !e.online(), 1, bound);
            catchingUp.close(session);
            awaitStates(refreshed, true, false);
            assertThat(statesOf(dead)).containsExactly(true, false);
        }
    }

    @Test
    void afterAPauseSessionsWaitForHeartbeatsToBeAppliedAgainNotJustForKafkaOrTheWarmUp() {
        long alice = newId();
        Duration ttl = properties.sessionTtl();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.open(alice);
            awaitStates(alice, true);

            // The gateway goes on heartbeating, but nothing applies its heartbeats (after a broker outage the
            // consumers may still be rejoining their group while the broker already answers), and every sweeper
            // seems to have been paused for an hour.
            MessageListenerContainer consumer = pauseConnectionEvents();
            try {
                pretendNobodySweptForAnHour();
                await().until(() -> Boolean.TRUE.equals(redis.hasKey(RedisKeys.SWEEP_RESUME_AT)));

                // Twice the warm-up and twice the session's TTL later, she is still online, for REST and for the
                // seed's key: her gateway was never silent, only unheard.
                await().during(ttl.multipliedBy(2))
                        .atMost(ttl.multipliedBy(2).plusSeconds(10))
                        .until(() -> isOnlineInRedis(alice));
                assertThat(expiryHeld())
                        .as("chat.presence.expiry.held while waiting")
                        .isEqualTo(1);
            } finally {
                consumer.resume();
            }

            // The first heartbeat applied ends the wait for heartbeats to flow; nobody was announced offline.
            await().atMost(Duration.ofSeconds(30)).until(() -> !"waiting".equals(awaitingHeartbeats()));
            awaitQuiet(alice);
            assertThat(statesOf(alice)).containsExactly(true);

            // Expiry works again: a gateway that dies now takes its user offline.
            gateway.kill();
            Duration bound = ttl.multipliedBy(2).plusSeconds(10);
            presenceEvents.awaitEvents(PresenceChanged.class, e -> e.userId() == alice && !e.online(), 1, bound);
            // The sweep that expired her session held nothing: the gauge says so.
            await().atMost(Duration.ofSeconds(10)).until(() -> expiryHeld() == 0);
        }
    }

    @Test
    void heartbeatsThatStopAgainWhileTheLastWaitWasHeardStartANewWait() {
        long alice = newId();
        Duration ttl = properties.sessionTtl();
        try (FakeGateway gateway = FakeGateway.live();
                FakeGateway silent = FakeGateway.manual()) {
            gateway.open(alice);
            silent.heartbeat();
            awaitStates(alice, true);
            await().until(() -> redis.opsForZSet().score(RedisKeys.GATEWAYS, silent.id) != null);

            // A first pause, after which her gateway is heard again; the wait stays 'heard' while the silent
            // gateway is still awaited.
            MessageListenerContainer consumer = pauseConnectionEvents();
            try {
                pretendNobodySweptForAnHour();
                await().until(() -> "waiting".equals(awaitingHeartbeats()));
            } finally {
                consumer.resume();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> "heard".equals(awaitingHeartbeats()));

            // Then heartbeats stop getting through again before that wait is over.
            consumer = pauseConnectionEvents();
            try {
                pretendNobodySweptForAnHour();
                await().until(() -> "waiting".equals(awaitingHeartbeats()));
                assertThat(redis.opsForSet().isMember(RedisKeys.AWAITED_GATEWAYS, gateway.id))
                        .isTrue();
                // Her gateway never stopped, it is only unheard: she stays online past the warm-up and her TTL.
                await().during(ttl.multipliedBy(2))
                        .atMost(ttl.multipliedBy(2).plusSeconds(10))
                        .until(() -> isOnlineInRedis(alice));
            } finally {
                consumer.resume();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !"waiting".equals(awaitingHeartbeats()));
            awaitQuiet(alice);
            assertThat(statesOf(alice)).containsExactly(true);
        }
    }

    private double expiryHeld() {
        return meters.get("chat.presence.expiry.held").gauge().value();
    }

    @Test
    void afterAPauseAGatewayNotHeardAgainKeepsItsSessionsUntilItIs() {
        long heardUser = newId();
        long unheardUser = newId();
        Duration ttl = properties.sessionTtl();
        try (FakeGateway heard = FakeGateway.live();
                FakeGateway unheard = FakeGateway.manual()) {
            heard.open(heardUser);
            unheard.open(unheardUser);
            unheard.heartbeat();
            awaitStates(heardUser, true);
            awaitStates(unheardUser, true);
            await().until(() -> redis.opsForZSet().score(RedisKeys.GATEWAYS, unheard.id) != null);

            // Every sweeper seems to have been paused; then one gateway is heard again, the other is not (its
            // heartbeats may sit on a partition that has no leader yet).
            pretendNobodySweptForAnHour();
            await().until(() -> Boolean.TRUE.equals(redis.hasKey(RedisKeys.SWEEP_RESUME_AT)));
            await().until(() -> "heard".equals(awaitingHeartbeats()));
            assertThat(redis.opsForSet().isMember(RedisKeys.AWAITED_GATEWAYS, unheard.id))
                    .isTrue();

            // Its session is long past its expiry and the warm-up is over, yet it is kept, for REST and the seed's key.
            await().during(ttl.multipliedBy(2))
                    .atMost(ttl.multipliedBy(2).plusSeconds(10))
                    .until(() -> isOnlineInRedis(unheardUser));

            // Heard again, it vouches for its session as before; silent from now on, the session expires.
            unheard.heartbeat();
            Duration bound = ttl.multipliedBy(2).plusSeconds(10);
            presenceEvents.awaitEvents(PresenceChanged.class, e -> e.userId() == unheardUser && !e.online(), 1, bound);
            assertThat(statesOf(heardUser)).containsExactly(true);
        }
    }

    @Test
    void whenNoGatewayIsHeardAfterAPauseTheWaitForHeartbeatsEndsOnItsOwn() {
        long user = newId();
        try (FakeGateway gone = FakeGateway.manual()) {
            gone.open(user);
            awaitStates(user, true);

            // Its gateway died while every sweeper was paused: no heartbeat will ever vouch for the session again.
            pretendNobodySweptForAnHour();
            await().until(() -> Boolean.TRUE.equals(redis.hasKey(RedisKeys.SWEEP_RESUME_AT)));

            // Three session TTLs of waiting, then the warm-up is over too.
            Duration bound = properties.sessionTtl().multipliedBy(4).plusSeconds(10);
            presenceEvents.awaitEvents(PresenceChanged.class, e -> e.userId() == user && !e.online(), 1, bound);
            assertThat(statesOf(user)).containsExactly(true, false);
        }
    }

    /** As after every sweeper (or Redis) was away: the next sweep finds the last one an hour ago. */
    private void pretendNobodySweptForAnHour() {
        redis.opsForValue().set(RedisKeys.LAST_SWEEP, Long.toString(redisTimeMillis() - 3_600_000));
    }

    private String awaitingHeartbeats() {
        return redis.opsForValue().get(RedisKeys.AWAITING_HEARTBEATS);
    }

    private MessageListenerContainer pauseConnectionEvents() {
        // The id of ConnectionEventListener's container (package-private there).
        MessageListenerContainer consumer = listeners.getListenerContainer("presence-connection-events");
        assertThat(consumer).isNotNull();
        consumer.pause();
        await().atMost(Duration.ofSeconds(30)).until(consumer::isPauseRequested);
        await().atMost(Duration.ofSeconds(30)).until(consumer::isContainerPaused);
        return consumer;
    }
}
