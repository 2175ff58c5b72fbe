package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.erpchat.events.PresenceChanged;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One instance of the service cannot reach Kafka (here: a bootstrap address nothing listens on) while it reaches
 * Redis, and the test's own instance reaches both. The sick instance holds session expiry and pending offlines for
 * every instance at first, since the opens and heartbeats on its partitions cannot be applied; once it has been
 * unable to reach Kafka for {@code kafka-probe.local-outage-hold} while the other one reaches it, it holds nothing
 * any more: its consumers are out of the group (this one never joined) and the healthy instance hears every gateway.
 */
class KafkaUnreachableInstanceTest extends PresenceIntegrationTest {

    private ConfigurableApplicationContext sick;

    @AfterEach
    void stopSickInstance() {
        if (sick != null) {
            sick.close();
        }
    }

    @Test
    void anInstanceThatCannotReachKafkaWhileAnotherDoesHoldsExpiryAndOfflinesOnlyForTheLocalOutageHold()
            throws IOException {
        long alice = newId();
        long bob = newId();
        long carol = newId();
        Duration ttl = properties.sessionTtl();
        // Longer than bob's session lives once his gateway is gone, so that the hold shows.
        Duration hold = ttl.multipliedBy(3);
        try (FakeGateway healthy = FakeGateway.live();
                FakeGateway dying = FakeGateway.live()) {
            healthy.open(alice);
            String carolsTab = healthy.open(carol);
            dying.open(bob);
            awaitStates(alice, true);
            awaitStates(bob, true);
            awaitStates(carol, true);

            sick = startInstanceThatCannotReachKafka(hold);
            MeterRegistry sickMeters = sick.getBean(MeterRegistry.class);
            assertThat(sickMeters.get("chat.presence.kafka.reachable").gauge().value())
                    .isZero();
            // It holds for every instance, as an instance that just lost Kafka must.
            await().until(() -> Boolean.TRUE.equals(redis.hasKey(RedisKeys.KAFKA_UNREACHABLE)));

            dying.kill();
            // Past the end of bob's session, he stays online while the hold lasts.
            await().during(ttl.plusSeconds(2)).atMost(ttl.plusSeconds(10)).until(() -> isOnlineInRedis(bob));
            assertThat(statesOf(bob)).containsExactly(true);

            // Once the sick instance has been unable to reach Kafka for the hold while the other one reaches it, his
            // session expires and he goes offline (after the wait for heartbeats its last held sweep armed), though
            // the sick instance still runs and still cannot reach Kafka.
            Duration bound = hold.plus(ttl.multipliedBy(4)).plusSeconds(10);
            presenceEvents.awaitEvents(PresenceChanged.class, e -> e.userId() == bob && !e.online(), 1, bound);
            await().until(() -> isOfflineInRedis(bob));
            assertThat(sick.isActive()).isTrue();
            assertThat(sickMeters.get("chat.presence.kafka.reachable").gauge().value())
                    .isZero();
            await().until(() -> !Boolean.TRUE.equals(redis.hasKey(RedisKeys.KAFKA_UNREACHABLE)));

            // A user who closes her last tab is announced offline after the grace, as if the sick instance were gone.
            healthy.close(carolsTab);
            awaitStates(carol, true, false);
            awaitQuiet(alice);
            assertThat(statesOf(alice)).containsExactly(true);
            assertThat(statesOf(bob)).containsExactly(true, false);
        }
    }

    /** As a full instance with a wrong bootstrap address: it reaches Redis, never Kafka. */
    private ConfigurableApplicationContext startInstanceThatCannotReachKafka(Duration hold) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        return startAnotherInstance(Map.of(
                "spring.kafka.bootstrap-servers", "127.0.0.1:" + closedPort,
                // The topics exist; creating them would only wait for the admin client's timeout at startup.
                "chat.kafka.topics.create", "false",
                "chat.presence.kafka-probe.local-outage-hold", hold.toMillis() + "ms"));
    }
}
