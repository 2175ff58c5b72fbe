package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.erpchat.events.ConnectionClosed;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.Topics;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.SecondGateway;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testclient.HandshakeRefused;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.KafkaEventCollector;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The per-user session cap, and dead connections found by the keepalive. */
class SessionLimitsTest extends GatewayTest {

    @Autowired
    ChatInfrastructure infrastructure;

    @Test
    void openingOneSessionTooManyClosesTheUsersOldestWith4002() {
        long user = newUserId();
        List<WsTestClient> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                tabs.add(connect(user));
            }
            WsTestClient eleventh = connect(user);
            tabs.add(eleventh);

            assertThat(tabs.get(0).awaitClose()).isEqualTo(4002);
            for (WsTestClient tab : tabs.subList(1, tabs.size())) {
                tab.send("ping", Map.of());
                tab.awaitFrame("pong");
                assertThat(tab.isClosed()).isFalse();
            }
        } finally {
            tabs.forEach(WsTestClient::close);
        }
    }

    @Test
    void aTabClosedToMakeRoomThatReconnectsIsRefusedInsteadOfClosingTheNextTab() throws Exception {
        long user = newUserId();
        List<WsTestClient> tabs = new ArrayList<>();
        try (KafkaEventCollector connectionEvents =
                KafkaEventCollector.fromNow(infrastructure, Topics.CONNECTION_EVENTS)) {
            for (int i = 0; i < 11; i++) {
                tabs.add(connect(user));
            }
            assertThat(tabs.get(0).awaitClose()).isEqualTo(4002);

            // The seed's client reconnects after any close, its token in the URL: refused before the upgrade, which
            // it counts as a failed attempt (an opened connection would restart its count), and the others stay.
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThatThrownBy(() -> connect(user))
                        .isInstanceOfSatisfying(
                                HandshakeRefused.class,
                                e -> assertThat(e.status()).isEqualTo(429));
            }
            // A client that authenticates in its first frame is known only once open: connected, then 4002.
            WsTestClient viaAuth = WsTestClient.connect(wsUri());
            viaAuth.send("auth", Map.of("token", TestTokens.forUser(user)));
            String refusedSession =
                    viaAuth.awaitFrame("connected").data().get("session_id").asString();
            assertThat(viaAuth.awaitClose()).isEqualTo(4002);
            for (WsTestClient tab : tabs.subList(1, tabs.size())) {
                tab.send("ping", Map.of());
                tab.awaitFrame("pong");
                assertThat(tab.isClosed()).isFalse();
            }

            // Presence never hears of the refused session: its close would come before this tab's, on the same
            // partition (both the user's).
            String lastTab = tabs.get(10)
                    .awaitFrame("connected")
                    .data()
                    .get("session_id")
                    .asString();
            tabs.get(10).close();
            connectionEvents.awaitEvent(
                    ConnectionClosed.class, closed -> closed.sessionId().equals(lastTab));
            assertThat(connectionEvents.events(ConnectionClosed.class))
                    .noneMatch(closed -> closed.sessionId().equals(refusedSession));
            assertThat(connectionEvents.events(ConnectionOpened.class))
                    .noneMatch(opened -> opened.sessionId().equals(refusedSession));
        } finally {
            tabs.forEach(WsTestClient::close);
        }
    }

    @Test
    void aConnectionThatStopsAnsweringPingsIsClosedAndReportedClosedToPresence() throws Exception {
        long user = newUserId();
        try (KafkaEventCollector connectionEvents =
                        KafkaEventCollector.fromNow(infrastructure, Topics.CONNECTION_EVENTS);
                SecondGateway gateway = new SecondGateway(
                        "keepalive-gateway",
                        Map.of(
                                "chat.gateway.keepalive.ping-interval",
                                "1s",
                                "chat.gateway.keepalive.idle-timeout",
                                "3s"))) {
            // A frozen client: it reads nothing after its connected frame, so it never answers a ping.
            WsTestClient frozen = WsTestClient.connect(gateway.wsUri("token=" + TestTokens.forUser(user)));
            frozen.awaitFrame("connected");
            frozen.pause();
            String session = connectionEvents
                    .awaitEvent(ConnectionOpened.class, opened -> opened.userId() == user)
                    .sessionId();
            WsTestClient healthy = WsTestClient.connect(gateway.wsUri("token=" + TestTokens.forUser(newUserId())));
            healthy.awaitFrame("connected");

            ConnectionClosed closed = connectionEvents.awaitEvent(
                    ConnectionClosed.class, event -> event.sessionId().equals(session));
            assertThat(closed.userId()).isEqualTo(user);
            // The healthy client answers pings (the test client does, while it reads) and stays.
            healthy.send("ping", Map.of());
            healthy.awaitFrame("pong");
            assertThat(healthy.isClosed()).isFalse();
            healthy.close();
            frozen.close();
        }
    }
}
