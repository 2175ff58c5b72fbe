package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.erpchat.events.ConnectionClosed;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.Topics;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.SecondGateway;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.KafkaEventCollector;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A gateway that stops tells its clients to reconnect elsewhere, tells presence their sessions are gone, and leaves no
 * consumer group behind.
 */
class GracefulShutdownTest extends GatewayTest {

    @Autowired
    ChatInfrastructure infrastructure;

    @Test
    void stoppingAGatewayClosesItsSessionsWith1012AndReportsThemClosed() {
        long user = newUserId();
        try (KafkaEventCollector connectionEvents =
                KafkaEventCollector.fromNow(infrastructure, Topics.CONNECTION_EVENTS)) {
            SecondGateway gateway = new SecondGateway("draining-gateway");
            WsTestClient client;
            String session;
            try {
                client = WsTestClient.connect(gateway.wsUri("token=" + TestTokens.forUser(user)));
                session =
                        client.awaitFrame("connected").data().path("session_id").asString();
                connectionEvents.awaitEvent(
                        ConnectionOpened.class, opened -> opened.sessionId().equals(session));
            } finally {
                gateway.close();
            }

            assertThat(client.awaitClose()).isEqualTo(1012);
            ConnectionClosed closed = connectionEvents.awaitEvent(
                    ConnectionClosed.class, event -> event.sessionId().equals(session));
            assertThat(closed.userId()).isEqualTo(user);
            assertThat(closed.gatewayId()).isEqualTo("draining-gateway");
        }
    }

    @Test
    void aGatewayThatStopsLeavesNoConsumerGroupBehind() throws Exception {
        List<String> groups = List.of("gateway-leaving-gateway-messages", "gateway-leaving-gateway-presence");
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()))) {
            SecondGateway gateway = new SecondGateway("leaving-gateway");
            try {
                await().until(() -> groupIds(admin).containsAll(groups));
            } finally {
                gateway.close();
            }

            assertThat(groupIds(admin)).doesNotContainAnyElementsOf(groups);
        }
    }

    private static Set<String> groupIds(Admin admin) throws Exception {
        return admin.listConsumerGroups().all().get().stream()
                .map(ConsumerGroupListing::groupId)
                .collect(Collectors.toSet());
    }
}
