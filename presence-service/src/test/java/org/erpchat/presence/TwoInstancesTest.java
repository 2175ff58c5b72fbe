package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.erpchat.presence.outbox.OutboxStream;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * A second instance of the service, a full application context in the same JVM on the same Redis and Kafka, shares
 * the work with the test's own instance: both get partitions of chat.connection-events, both sweep, one publishes the
 * outbox, and no transition is announced twice.
 */
class TwoInstancesTest extends PresenceIntegrationTest {

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @Autowired
    private OutboxStream relay;

    @Autowired
    private MeterRegistry meters;

    private ConfigurableApplicationContext second;

    @BeforeEach
    void startSecondInstance() {
        second = startInstance();
    }

    private ConfigurableApplicationContext startInstance() {
        return startAnotherInstance(Map.of());
    }

    @AfterEach
    void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void twoInstancesSplitThePartitionsAndNeverAnnounceATransitionTwice() throws Exception {
        KafkaListenerEndpointRegistry secondListeners = second.getBean(KafkaListenerEndpointRegistry.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Set<TopicPartition> mine = assigned(listeners);
            Set<TopicPartition> theirs = assigned(secondListeners);
            Set<TopicPartition> both = new HashSet<>(mine);
            both.retainAll(theirs);
            return !mine.isEmpty() && !theirs.isEmpty() && both.isEmpty() && mine.size() + theirs.size() == 6;
        });
        // Exactly one of them publishes the outbox.
        OutboxStream secondRelay = second.getBean(OutboxStream.class);
        await().until(() -> relay.isLeader() ^ secondRelay.isLeader());

        MeterRegistry secondMeters = second.getBean(MeterRegistry.class);
        double firstBefore = processed(meters);
        double secondBefore = processed(secondMeters);
        int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();

        List<FakeGateway> gateways = List.of(FakeGateway.live(), FakeGateway.live());
        FakeGateway dying = FakeGateway.live();
        try {
            Storm storm = new Storm(80, PresenceIntegrationTest::newId).run(gateways, 4, 6, 7);
            // Users only on a gateway that dies: expired by whichever instance's sweeper gets there first.
            List<Long> stranded = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long user = newId();
                dying.open(user);
                stranded.add(user);
            }
            stranded.forEach(user -> awaitStates(user, true));
            dying.kill();

            // Either instance answers the same.
            awaitStormSettled(storm, secondPort);
            assertThat(onlineFromRest(port, storm.ids())).isEqualTo(storm.expectedOnline());
            for (Storm.User user : storm.users) {
                Storm.assertAlternatingAndFinal(user, statesOf(user.id));
            }
            for (long user : stranded) {
                awaitStates(user, true, false);
                assertThat(redis.hasKey(RedisKeys.userOnline(user))).isFalse();
            }
            // Both did part of the work.
            assertThat(processed(meters)).isGreaterThan(firstBefore);
            assertThat(processed(secondMeters)).isGreaterThan(secondBefore);
            assertThat(secondMeters.get("chat.presence.sweeps").counter().count())
                    .isPositive();

            // A regular (non-test) context exports its meters for Prometheus, without a token.
            RestCalls.Response prometheus = RestCalls.getText(secondPort, "/actuator/prometheus");
            assertThat(prometheus.status()).isEqualTo(200);
            assertThat(prometheus.text())
                    .contains("chat_presence_users_online")
                    .contains("chat_presence_sessions_live")
                    .contains("chat_presence_sweeps_total")
                    .contains("chat_presence_sessions_expired_total")
                    .contains("chat_presence_events_emitted_total{")
                    .contains("state=\"online\"")
                    .contains("chat_presence_typing_events_emitted_total");
        } finally {
            gateways.forEach(FakeGateway::closeAll);
            gateways.forEach(FakeGateway::close);
            dying.close();
        }
    }

    @Test
    void whenOneInstanceStopsTheOtherTakesOverItsPartitionsAndThePublishing() {
        KafkaListenerEndpointRegistry secondListeners = second.getBean(KafkaListenerEndpointRegistry.class);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !assigned(secondListeners).isEmpty());

        second.close();
        second = null;

        await().atMost(Duration.ofSeconds(60)).until(() -> assigned(listeners).size() == 6);
        await().until(relay::isLeader);
        long user = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.close(gateway.open(user));
            awaitStates(user, true, false);
        }
    }

    @Test
    void anInstanceThatStartsDoesNotHoldTheOthersExpiryBeforeItHasProbedKafka() {
        second.close();
        second = null;
        // No wait for heartbeats and no "Kafka unreachable" left by earlier tests.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !Boolean.TRUE.equals(redis.hasKey(RedisKeys.AWAITING_HEARTBEATS))
                        && !Boolean.TRUE.equals(redis.hasKey(RedisKeys.KAFKA_UNREACHABLE)));

        // As in a rolling deploy: a new instance starts beside a running one.
        second = startInstance();
        MeterRegistry secondMeters = second.getBean(MeterRegistry.class);
        await().until(() -> secondMeters.get("chat.presence.sweeps").counter().count() > 0);

        // Its first sweep came after its first probe, which reached Kafka: it armed nothing that holds expiry or
        // pending offlines at every instance.
        assertThat(redis.hasKey(RedisKeys.KAFKA_UNREACHABLE)).isFalse();
        assertThat(redis.hasKey(RedisKeys.AWAITING_HEARTBEATS)).isFalse();
        assertThat(secondMeters.get("chat.presence.kafka.reachable").gauge().value())
                .isEqualTo(1);
    }

    private static Set<TopicPartition> assigned(KafkaListenerEndpointRegistry registry) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (MessageListenerContainer container : registry.getListenerContainers()) {
            if (container.getAssignedPartitions() != null) {
                partitions.addAll(container.getAssignedPartitions());
            }
        }
        return partitions;
    }

    private static double processed(MeterRegistry registry) {
        return registry.find("chat.presence.connection.events").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
