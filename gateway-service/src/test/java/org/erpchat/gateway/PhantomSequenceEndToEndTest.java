package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.erpchat.events.ConversationKind;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.KafkaEvents;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A record on the message topic that message-service did not write names a {@code seq} it does not have: the gap it
 * reveals can never be filled. The gateway asks a few times, then closes the session (1013) rather than skip a message
 * or spin a replay thread asking forever; the client resumes from what it holds.
 */
class PhantomSequenceEndToEndTest extends GatewayTest {

    private final Backends backends = Backends.get();

    @Autowired
    ChatInfrastructure infrastructure;

    @Test
    void aGapMessageServiceHasNothingForClosesTheSessionAfterAFewTries() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        try (KafkaEvents kafka = new KafkaEvents(infrastructure);
                WsTestClient bobClient = connect(bob)) {
            long conversation = backends.sendPrivate(alice, bob, "one", "ph-1-" + alice)
                    .path("conversation_id")
                    .asLong();
            bobClient.awaitFrame("private_message");

            kafka.publish(DeliveryTest.message(
                    conversation, ConversationKind.PRIVATE, 3, alice, List.of(alice, bob), "ph-3-" + alice, null));

            assertThat(bobClient.awaitClose()).isEqualTo(1013);
            assertThat(bobClient.frames("private_message"))
                    .extracting(frame -> frame.data().path("seq").asLong())
                    .containsExactly(1L);
        }
    }
}
