package org.erpchat.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/** A replayed message reaches the client as message-service wrote it, in the frame a live delivery of it would use. */
class StoredMessageTest {

    private static final TypeReference<List<StoredMessage>> PAGE = new TypeReference<>() {};

    private final WireMessage group = new WireMessage(
            "0b7f6c1e-0000-4000-8000-000000000001",
            42,
            "group",
            7,
            5,
            null,
            42L,
            "Chào cả nhà \"quoted\" \\ \u2028 </script>",
            "text",
            null,
            "c-1",
            Instant.parse("2026-12-03T08:15:30.120Z"));

    @Test
    void aStoredMessageIsFramedExactlyAsTheLiveDeliveryOfTheSameMessage() {
        StoredMessage stored =
                read(WireJson.MAPPER.writeValueAsString(List.of(group))).get(0);

        assertThat(stored.conversationId()).isEqualTo(42);
        assertThat(stored.seq()).isEqualTo(7);
        assertThat(stored.group()).isTrue();
        assertThat(stored.senderId()).isEqualTo(5);
        assertThat(stored.clientMsgId()).isEqualTo("c-1");
        assertThat(PreparedMessage.stored(stored).deliveryFrame().text())
                .isEqualTo(new PreparedMessage(group).deliveryFrame().text())
                .isEqualTo(ServerEvents.frame("group_message", group));
        assertThat(PreparedMessage.stored(stored).ackFrame().text())
                .isEqualTo(ServerEvents.frame("message_sent", group));
    }

    @Test
    void aPrivateMessageIsAPrivateMessageAndEveryFieldPassesOnEvenOnesThisGatewayDoesNotKnow() {
        String json = "[{\"id\":\"m\",\"conversation_id\":3,\"conversation_type\":\"private\",\"seq\":1,"
                + "\"receiver_id\":9,\"group_id\":null,\"reactions\":{\"👍\":[1,2]},\"content\":\"hi\"}]";
        StoredMessage stored = read(json).get(0);

        assertThat(stored.group()).isFalse();
        assertThat(PreparedMessage.stored(stored).deliveryFrame().text())
                .isEqualTo("{\"event\":\"private_message\",\"data\":" + json.substring(1, json.length() - 1) + "}");
    }

    @Test
    void aMessageWithoutItsConversationSeqOrTypeMakesThePageUnreadable() {
        for (String message : List.of(
                "{\"conversation_type\":\"group\",\"seq\":1}",
                "{\"conversation_id\":3,\"conversation_type\":\"group\"}",
                "{\"conversation_id\":3,\"conversation_type\":\"group\",\"seq\":\"1\"}",
                "{\"conversation_id\":3,\"conversation_type\":\"channel\",\"seq\":1}",
                "{\"conversation_id\":3,\"seq\":1}",
                "\"a string\"")) {
            assertThatThrownBy(() -> read("[" + message + "]")).as(message).isInstanceOf(JacksonException.class);
        }
    }

    private static List<StoredMessage> read(String json) {
        return WireJson.MAPPER.readValue(json.getBytes(StandardCharsets.UTF_8), PAGE);
    }
}
