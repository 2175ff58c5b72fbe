package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.GroupState;
import org.erpchat.gateway.config.GatewayIdentity;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The gateway commits no offsets. When Kafka takes its partitions away and gives them back (its member was removed, or
 * its session expired), it continues where it was, so what was stored meanwhile is delivered live, not skipped.
 */
class ReassignedPartitionsTest extends GatewayTest {

    @Autowired
    ChatInfrastructure infrastructure;

    @Autowired
    GatewayIdentity identity;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void aMessageStoredWhileTheGatewaysGroupRejoinsIsDeliveredLive() throws Exception {
        long alice = newUserId();
        long bob = newUserId();
        Backends backends = Backends.get();
        backends.provision(alice, bob);
        String group = "gateway-" + identity.id() + "-messages";
        try (Admin admin = Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()));
                WsTestClient bobClient = connect(bob)) {
            bobClient.send("resume", Map.of("positions", Map.of()));
            bobClient.awaitFrame("resume_result");
            backends.sendPrivate(alice, bob, "before", "ra1-" + alice);
            bobClient.awaitFrame(
                    "private_message", data -> data.path("content").asString().equals("before"));
            Set<String> membersBefore = members(admin, group);
            assertThat(membersBefore).hasSize(1);

            // While the listener reads nothing, a message is stored and the gateway's member is removed from its group:
            // when the partitions come back, the consumer has no position in them and no committed offset to go by.
            MessageListenerContainer container = listeners.getListenerContainer("gateway-message-events");
            container.pause();
            try {
                await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
                backends.sendPrivate(alice, bob, "between", "ra2-" + alice);
                admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions())
                        .all()
                        .get();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    ConsumerGroupDescription description = describe(admin, group);
                    return description.groupState() == GroupState.STABLE
                            && !description.members().isEmpty()
                            && members(admin, group).stream().noneMatch(membersBefore::contains);
                });
            } finally {
                container.resume();
            }

            assertThat(bobClient
                            .awaitFrame(
                                    "private_message",
                                    data -> data.path("content").asString().equals("between"))
                            .data()
                            .path("seq")
                            .asLong())
                    .isEqualTo(2);
        }
    }

    private static ConsumerGroupDescription describe(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    }

    private static Set<String> members(Admin admin, String group) throws Exception {
        return describe(admin, group).members().stream()
                .map(MemberDescription::consumerId)
                .collect(Collectors.toSet());
    }
}
