package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Kafka frozen (SIGSTOP) for longer than a session TTL: presence-service hears no heartbeat, but that says nothing
 * about the users, whose gateway is alive. Nobody goes offline, during the outage or after it.
 */
class KafkaFreezeTest extends PresenceIntegrationTest {

    @Autowired
    private MeterRegistry meters;

    @Test
    void usersOfALiveGatewayStayOnlineThroughAKafkaOutageLongerThanTheirSessionTtl() {
        long alice = newId();
        long bob = newId();
        Duration ttl = properties.sessionTtl();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.open(alice);
            gateway.open(bob);
            awaitStates(alice, true);
            awaitStates(bob, true);

            infrastructure.freezeKafka();
            try {
                // Three session TTLs without a heartbeat getting through: today every session would have expired.
                await().during(ttl.multipliedBy(3))
                        .atMost(ttl.multipliedBy(3).plusSeconds(10))
                        .until(() -> isOnlineInRedis(alice) && isOnlineInRedis(bob));
                // What an operator sees meanwhile: Kafka unreachable, expiry held.
                assertThat(gauge("chat.presence.kafka.reachable")).isZero();
                assertThat(gauge("chat.presence.expiry.held")).isEqualTo(1);
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

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }
}
