package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.erpchat.presence.state.PresenceScripts;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Kafka frozen (SIGSTOP) for longer than a session TTL: presence-service hears no heartbeat, but that says nothing
 * about the users, whose gateway is alive. Nobody goes offline, during the outage or after it, however long it lasts:
 * no instance reaches Kafka, so the hold outlasts {@code kafka-probe.local-outage-hold}.
 */
class KafkaFreezeTest extends PresenceIntegrationTest {

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private PresenceScripts scripts;

    @Test
    void usersOfALiveGatewayStayOnlineThroughAKafkaOutageLongerThanTheirSessionTtlAndTheLocalOutageHold() {
        long alice = newId();
        long bob = newId();
        Duration ttl = properties.sessionTtl();
        Duration hold = properties.kafkaProbe().localOutageHold();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.open(alice);
            gateway.open(bob);
            awaitStates(alice, true);
            awaitStates(bob, true);

            infrastructure.freezeKafka();
            try {
                // Four session TTLs without a heartbeat getting through, beyond the local-outage hold: an instance
                // that stopped holding at the hold would have let the wait for heartbeats its sweeps armed run out
                // (three TTLs) and every session expire.
                Duration outage = hold.plus(ttl.multipliedBy(4)).plusSeconds(2);
                await().during(outage)
                        .atMost(outage.plusSeconds(10))
                        .until(() -> isOnlineInRedis(alice) && isOnlineInRedis(bob));
                // What an operator sees meanwhile: Kafka unreachable, expiry held.
                assertThat(gauge("chat.presence.kafka.reachable")).isZero();
                assertThat(gauge("chat.presence.expiry.held")).isEqualTo(1);
                // Past its local-outage hold the instance still holds for every instance: nobody reaches Kafka.
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> Boolean.TRUE.equals(redis.hasKey(RedisKeys.KAFKA_UNREACHABLE)));
                assertThat(redis.hasKey(RedisKeys.KAFKA_REACHED)).isFalse();
            } finally {
                infrastructure.thawKafka();
            }

            // The gateway's heartbeats get through again; still nobody is announced offline.
            await().during(ttl.multipliedBy(2))
                    .atMost(ttl.multipliedBy(2).plusSeconds(30))
                    .until(() -> isOnlineInRedis(alice) && isOnlineInRedis(bob));
            awaitQuiet(alice, bob);
            assertThat(statesOf(alice)).containsExactly(true);
            assertThat(statesOf(bob)).containsExactly(true);
            await().atMost(ttl.multipliedBy(3)).until(() -> gauge("chat.presence.expiry.held") == 0);

            // The hold ends with the outage: a gateway that dies now still takes its users offline.
            gateway.kill();
            await().atMost(ttl.multipliedBy(3).plusSeconds(30))
                    .until(() -> statesOf(alice).size() == 2);
            assertThat(statesOf(alice)).containsExactly(true, false);
        }
    }

    /**
     * Another instance of the service loses Kafka while this one still hears the gateways: the opens on that
     * instance's partitions cannot be applied, so a user whose offline comes due meanwhile may be back there. The
     * offline waits until every instance hears Kafka again, as expiry does (or, past the other instance's
     * local-outage hold, until its partitions have moved: {@code KafkaUnreachableInstanceTest}).
     */
    @Test
    void aPendingOfflineWaitsWhileAnotherInstanceCannotReachKafka() {
        long carol = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            String session = gateway.open(carol);
            awaitStates(carol, true);

            // The other instance's sweeps, on the shared Redis, as it runs them while Kafka does not answer it, within
            // its local-outage hold.
            ScheduledExecutorService otherInstance = Executors.newSingleThreadScheduledExecutor();
            otherInstance.scheduleAtFixedRate(
                    () -> scripts.run(
                            scripts.sweep,
                            List.of(
                                    "100",
                                    "1",
                                    Long.toString(properties.sweepInterval().toMillis() * 3),
                                    "0",
                                    Long.toString(properties
                                            .kafkaProbe()
                                            .localOutageHold()
                                            .toMillis()))),
                    0,
                    properties.sweepInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                gateway.close(session);
                // This instance applies the close and keeps hearing the gateway's heartbeats; the grace ends, and
                // still nobody announces carol offline.
                await().during(properties.offlineGrace().multipliedBy(3))
                        .atMost(properties.offlineGrace().multipliedBy(3).plusSeconds(10))
                        .until(() -> statesOf(carol).size() == 1 && isOnlineInRedis(carol));
            } finally {
                otherInstance.shutdownNow();
            }

            // Every instance hears Kafka again: the offline is announced, once.
            awaitStates(carol, true, false);
        }
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }
}
