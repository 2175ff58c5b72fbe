package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

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

/** A gateway that stops tells its clients to reconnect elsewhere and tells presence their sessions are gone. */
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
}
