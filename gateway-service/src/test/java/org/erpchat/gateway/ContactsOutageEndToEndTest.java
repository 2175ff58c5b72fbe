package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.SecondGateway;
import org.erpchat.gateway.support.TcpRelay;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * A user whose only session opened while message-service could not be reached still hears of their contacts once it
 * can: the gateway loads their contacts again, and the session gets the status of those online, without reconnecting.
 */
class ContactsOutageEndToEndTest extends GatewayTest {

    private final Backends backends = Backends.get();

    @Test
    void aSessionThatOpenedDuringAMessageServiceOutageGetsItsContactsStatusesAfterIt() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        backends.sendPrivate(bob, alice, "hi", "co-" + bob);
        try (TcpRelay messageService = new TcpRelay(backends.messageServiceUrl());
                SecondGateway gateway = new SecondGateway(
                        "gateway-contacts-outage",
                        Map.of(
                                "chat.gateway.message-service.base-url", messageService.url(),
                                "chat.gateway.presence.contacts-retry-backoff", "200ms",
                                "chat.gateway.presence.contacts-retry-max-backoff", "400ms"));
                WsTestClient bobClient = connect(bob)) {
            // presence-service has seen bob's session once a contact of his hears of it (here, on this test's gateway).
            try (WsTestClient probe = connect(alice)) {
                probe.awaitFrame(
                        "user_online_status", data -> data.path("user_id").asLong() == bob);
            }

            try (WsTestClient aliceClient = WsTestClient.connect(gateway.wsUri("token=" + TestTokens.forUser(alice)))) {
                aliceClient.awaitFrame("connected");
                // The gateway asked for alice's contacts and message-service could not be reached.
                await().until(() -> messageService.refusedConnections() > 0);

                messageService.forward();

                assertThat(aliceClient
                                .awaitFrame(
                                        "user_online_status",
                                        data -> data.path("user_id").asLong() == bob)
                                .data()
                                .path("is_online")
                                .asBoolean())
                        .isTrue();
                // And from now on her contacts' changes reach her: bob leaves.
                bobClient.close();
                aliceClient.awaitFrame(
                        "user_online_status",
                        data -> data.path("user_id").asLong() == bob
                                && !data.path("is_online").asBoolean());
            }
        }
    }
}
