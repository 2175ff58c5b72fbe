package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.erpchat.events.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.test.context.TestPropertySource;

/**
 * An instance of the service crashes while it holds partitions of the connection events: it sends no farewell, and the
 * group gives its partitions to the others only once its session timed out. The heartbeats of the gateways on those
 * partitions wait meanwhile; with the service's consumer settings they are applied again well within the session TTL,
 * so nobody on those gateways goes offline.
 *
 * <p>The crashed instance is a consumer with the service's own consumer settings in the service's group, which takes
 * its share of the partitions and then closes without leaving the group, as a killed process does.
 */
@TestPropertySource(properties = "chat.presence.session-ttl=20s")
class CrashedInstanceTest extends PresenceIntegrationTest {

    /** The connection events' listener (ConnectionEventListener). */
    private static final String LISTENER = "presence-connection-events";

    @Autowired
    private ConsumerFactory<?, ?> consumerFactory;

    @Test
    void usersOfGatewaysWhoseHeartbeatsWereOnACrashedInstancesPartitionsStayOnline() {
        String group = listeners.getListenerContainer(LISTENER).getGroupId();
        Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<FakeGateway> gateways = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> doomed = new KafkaConsumer<>(config)) {
            doomed.subscribe(List.of(Topics.CONNECTION_EVENTS));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                doomed.poll(Duration.ofMillis(100));
                return !doomed.assignment().isEmpty();
            });
            int partitions = doomed.partitionsFor(Topics.CONNECTION_EVENTS).size();
            Set<TopicPartition> taken = doomed.assignment();
            // The service's own instance has given them up: what it still holds is the rest.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                doomed.poll(Duration.ofMillis(100));
                return listeners.getListenerContainer(LISTENER).getAssignedPartitions().stream()
                        .noneMatch(taken::contains);
            });
            FakeGateway onCrashed = gatewayOnOneOf(taken, partitions, gateways);
            // The user's open goes to the service's own instance and is applied at once; the gateway's heartbeats wait
            // on a partition nobody reads until the group hands the crashed consumer's partitions over.
            long user = newId();
            while (taken.contains(partitionOf(Long.toString(user), partitions))) {
                user = newId();
            }
            onCrashed.open(user);
            long online = user;
            await().atMost(Duration.ofSeconds(30)).until(() -> isOnlineInRedis(online));

            doomed.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));

            Duration ttl = properties.sessionTtl();
            // Longer than a session lives without a heartbeat applied: the partitions changed hands in time.
            await().during(ttl.plusSeconds(5)).atMost(ttl.plusSeconds(15)).until(() -> isOnlineInRedis(online));
            assertThat(statesOf(online)).containsExactly(true);
        } finally {
            gateways.forEach(FakeGateway::close);
        }
    }

    /** Where Kafka's producer puts a record with this key. */
    private static TopicPartition partitionOf(String key, int partitions) {
        int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
        return new TopicPartition(Topics.CONNECTION_EVENTS, partition);
    }

    /** A live gateway whose heartbeats (keyed by its id) go to one of {@code partitions}; the others it made are kept. */
    private static FakeGateway gatewayOnOneOf(Set<TopicPartition> taken, int partitions, List<FakeGateway> made) {
        for (int attempt = 0; attempt < 200; attempt++) {
            FakeGateway gateway = FakeGateway.live();
            made.add(gateway);
            if (taken.contains(partitionOf(gateway.id, partitions))) {
                return gateway;
            }
        }
        throw new AssertionError("no gateway id falls on " + taken);
    }
}
