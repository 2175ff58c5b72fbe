package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.erpchat.events.Topics;
import org.erpchat.gateway.config.GatewayIdentity;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.TopicEnds;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** What operators look at: health probes and the metrics the issue names. */
class OperationsTest extends GatewayTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    WebServerApplicationContext webServer;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    GatewayIdentity identity;

    @Autowired
    ChatInfrastructure infrastructure;

    /**
     * Typing, read markers, contact loads and status look-ups run on Spring Boot's task pool as configured
     * ({@code spring.task.execution}); an {@code Executor} bean of the gateway's own would make Boot leave that pool
     * out, and they would all run one at a time on the scheduler's single thread.
     */
    @Test
    void backgroundWorkRunsOnTheConfiguredTaskPool() {
        assertThat(webServer.getBean("applicationTaskExecutor"))
                .isInstanceOfSatisfying(ThreadPoolTaskExecutor.class, pool -> {
                    assertThat(pool.getThreadNamePrefix()).isEqualTo("gateway-io-");
                    assertThat(pool.getMaxPoolSize()).isEqualTo(16);
                });
    }

    @Test
    void readinessIncludesKafka() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"kafka\"");
    }

    @Test
    void connectionsDeliveriesLatencyAndConsumerLagAreExported() throws Exception {
        long alice = newUserId();
        long bob = newUserId();
        Backends backends = Backends.get();
        backends.provision(alice, bob);
        try (WsTestClient bobClient = connect(bob)) {
            bobClient.send("resume", java.util.Map.of("positions", java.util.Map.of()));
            bobClient.awaitFrame("resume_result");
            backends.sendPrivate(alice, bob, "metered", "m-" + alice);
            bobClient.awaitFrame("private_message");

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(get("/actuator/prometheus").body())
                            .contains("chat_gateway_connections")
                            .contains("chat_gateway_deliveries_total{")
                            .contains("chat_gateway_delivery_latency_seconds_bucket")
                            .contains("kafka_consumer_fetch_manager_records_lag_max"));
        }
    }

    @Test
    void theGatewaysConsumerGroupsCommitNoOffsets() throws Exception {
        for (String listener : List.of("gateway-message-events", "gateway-presence-events")) {
            assertThat(listeners
                            .getListenerContainer(listener)
                            .getContainerProperties()
                            .getAckMode())
                    .as(listener)
                    .isEqualTo(AckMode.MANUAL);
        }
        List<String> groups =
                List.of("gateway-" + identity.id() + "-messages", "gateway-" + identity.id() + "-presence");
        long alice = newUserId();
        long bob = newUserId();
        Backends backends = Backends.get();
        backends.provision(alice, bob);
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()))) {
            Map<TopicPartition, Long> before = TopicEnds.of(admin, Topics.MESSAGE_EVENTS);
            // Another test of this JVM (MessagingEndToEndTest) moves the messages group's committed offsets itself to
            // make the gateway miss events; what the gateway must not do is commit any, so nothing may change here.
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committedBefore = new java.util.HashMap<>();
            for (String group : groups) {
                committedBefore.put(group, committed(admin, group));
            }
            assertThat(committedBefore.get(groups.get(1)))
                    .as("%s: no test moves it, and the gateway never commits", groups.get(1))
                    .isEmpty();
            try (WsTestClient bobClient = connect(bob)) {
                bobClient.send("resume", Map.of("positions", Map.of()));
                bobClient.awaitFrame("resume_result");
                // The second message comes from a later poll than the first, and a listener container that commits
                // after each poll (Spring Kafka's default) has committed the first one's offset before that poll.
                // Spring Kafka would also commit the starting position when the partitions were assigned.
                backends.sendPrivate(alice, bob, "first", "nc1-" + alice);
                bobClient.awaitFrame(
                        "private_message",
                        data -> data.path("content").asString().equals("first"));
                backends.sendPrivate(alice, bob, "second", "nc2-" + alice);
                bobClient.awaitFrame(
                        "private_message",
                        data -> data.path("content").asString().equals("second"));
            }
            Map<TopicPartition, Long> after = TopicEnds.of(admin, Topics.MESSAGE_EVENTS);
            assertThat(after).isNotEqualTo(before);

            for (String group : groups) {
                assertThat(committed(admin, group)).as(group).isEqualTo(committedBefore.get(group));
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
    }

    @Test
    void theGatewayPortQueuesAsManyConnectionsAsConfigured() {
        Server server = ((JettyWebServer) webServer.getWebServer()).getServer();

        assertThat(server.getConnectors())
                .filteredOn(ServerConnector.class::isInstance)
                .isNotEmpty()
                .allSatisfy(connector -> assertThat(((ServerConnector) connector).getAcceptQueueSize())
                        .isEqualTo(4096));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
