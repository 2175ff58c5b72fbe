package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.RedisCallback;

/**
 * Many users connecting and disconnecting at once, on several gateways that heartbeat all the while, published from
 * several threads through Kafka. The end state must be exact, and every user's events must alternate
 * online/offline (one event per transition, never two of the same in a row) and end in the right state.
 */
class ConnectStormTest extends PresenceIntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(ConnectStormTest.class);

    @Value("${spring.data.redis.lettuce.pool.max-active}")
    private int pooledConnections;

    @Test
    void aConcurrentStormEndsInExactlyTheRightStateWithOneEventPerTransition() throws Exception {
        List<FakeGateway> gateways = List.of(FakeGateway.live(), FakeGateway.live(), FakeGateway.live());
        try {
            Storm storm = new Storm(200, PresenceIntegrationTest::newId).run(gateways, 8, 8, 42);
            assertThat(storm.expectedOnline()).isNotEmpty().hasSizeLessThan(200);

            awaitStormSettled(storm, port);

            int events = 0;
            for (Storm.User user : storm.users) {
                List<Boolean> states = statesOf(user.id);
                events += states.size();
                Storm.assertAlternatingAndFinal(user, states);
                assertThat(redis.opsForHash().size(RedisKeys.userSessions(user.id)))
                        .as("sessions of user %d", user.id)
                        .isEqualTo(user.open.size());
            }
            log.info(
                    "Storm: {} users, {} gateway-side transitions, {} events, {} online at the end",
                    storm.users.size(),
                    storm.transitions(),
                    events,
                    storm.expectedOnline().size());
        } finally {
            gateways.forEach(FakeGateway::closeAll);
            gateways.forEach(FakeGateway::close);
        }
    }

    @Test
    void aTabStormAnnouncesExactlyOneOnlineAndAtMostOneOfflinePerUser() throws Exception {
        onSettledTabStorm(99, storm -> {
            for (Storm.User user : storm.users) {
                List<Boolean> expected = user.online() ? List.of(true) : List.of(true, false);
                assertThat(statesOf(user.id)).as("events of user %d", user.id).isEqualTo(expected);
                assertThat(user.transitions).isEqualTo(expected.size());
            }
        });
    }

    @Test
    void aStormReusesTheServicesRedisConnections() throws Exception {
        long connectionsBefore = connectionsRedisReceived();
        // Each poll's opens and closes go to Redis as one pipeline, which needs a connection of its own: taken from
        // the pool, not opened and closed for every poll (a storm has hundreds of polls).
        onSettledTabStorm(
                7,
                storm -> assertThat(connectionsRedisReceived() - connectionsBefore)
                        .isLessThanOrEqualTo(pooledConnections));
    }

    /** 200 users opening and closing tabs on three gateways; {@code check} runs once all is settled, before they close. */
    private void onSettledTabStorm(long seed, Consumer<Storm> check) throws Exception {
        List<FakeGateway> gateways = List.of(FakeGateway.live(), FakeGateway.live(), FakeGateway.live());
        try {
            Storm storm = new Storm(200, PresenceIntegrationTest::newId).runTabs(gateways, 8, seed);
            awaitStormSettled(storm, port);
            check.accept(storm);
        } finally {
            gateways.forEach(FakeGateway::closeAll);
            gateways.forEach(FakeGateway::close);
        }
    }

    private long connectionsRedisReceived() {
        Properties stats = redis.execute((RedisCallback<Properties>)
                connection -> connection.serverCommands().info("stats"));
        return Long.parseLong(stats.getProperty("total_connections_received"));
    }
}
