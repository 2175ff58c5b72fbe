package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/** What operators look at: health probes and the metrics the issue names. */
class OperationsTest extends GatewayTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    WebServerApplicationContext webServer;

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
