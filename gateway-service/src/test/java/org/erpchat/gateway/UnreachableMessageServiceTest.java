package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.erpchat.events.ConversationKind;
import org.erpchat.gateway.support.KafkaEvents;
import org.erpchat.gateway.support.ListenerPartitions;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.TestTokens;
import org.erpchat.testsupport.WithRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/** A gateway whose message-service does not answer: it closes a session rather than let a message go missing. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "chat.security.jwt.secret=" + TestTokens.SECRET,
            "chat.gateway.instance-id=gateway-without-backend",
            "chat.gateway.message-service.base-url=http://127.0.0.1:1",
            "chat.gateway.presence-service.base-url=http://127.0.0.1:1",
            "chat.gateway.replay.retry-backoff=50ms"
        })
@WithRealInfrastructure
class UnreachableMessageServiceTest {

    @LocalServerPort
    int port;

    @Autowired
    ChatInfrastructure infrastructure;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    /**
     * The listeners own their partitions before the test publishes: an event published before then is read late, and
     * the test would wait longer for its close.
     */
    @BeforeEach
    void listenersOwnTheirPartitions() {
        ListenerPartitions.awaitAssigned(listeners);
    }

    @Test
    void aGapThatCannotBeFilledClosesTheSessionRatherThanSkipAMessage() {
        long alice = 900_000_001L + System.nanoTime() % 1_000_000;
        long bob = alice + 1;
        long conversation = alice * 10;
        try (KafkaEvents kafka = new KafkaEvents(infrastructure);
                WsTestClient bobClient = WsTestClient.connect(
                        java.net.URI.create("ws://127.0.0.1:" + port + "/ws?token=" + TestTokens.forUser(bob)))) {
            bobClient.awaitFrame("connected");

            kafka.publish(DeliveryTest.message(
                    conversation, ConversationKind.PRIVATE, 1, alice, List.of(alice, bob), "g-1", null));
            kafka.publish(DeliveryTest.message(
                    conversation, ConversationKind.PRIVATE, 3, alice, List.of(alice, bob), "g-3", null));

            assertThat(bobClient.awaitClose()).isEqualTo(1013);
            assertThat(bobClient.frames("private_message"))
                    .extracting(frame -> frame.data().path("seq").asLong())
                    .containsExactly(1L);
        }
    }

    @Test
    void aResumeWhoseBatchAndOwnPagesAllFailSaysSoAndClosesWith1013() {
        long carol = 910_000_001L + System.nanoTime() % 1_000_000;
        try (WsTestClient client = WsTestClient.connect(
                java.net.URI.create("ws://127.0.0.1:" + port + "/ws?resume=true&token=" + TestTokens.forUser(carol)))) {
            client.awaitFrame("connected");
            client.send("resume", java.util.Map.of("positions", java.util.Map.of("5", 3)));

            // The batched first page failed as a whole, the page asked for alone failed on every attempt: the client
            // learns the resume is incomplete, from where, and must come back.
            WsTestClient.Frame result = client.awaitFrame("resume_result");
            assertThat(result.data().path("complete").asBoolean(true)).isFalse();
            assertThat(result.data().path("reason").asString()).isEqualTo("unavailable");
            assertThat(result.data().path("positions").path("5").asLong()).isEqualTo(3);
            assertThat(client.awaitClose()).isEqualTo(1013);
        }
    }
}
