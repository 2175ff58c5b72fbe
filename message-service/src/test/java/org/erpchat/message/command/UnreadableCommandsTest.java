package org.erpchat.message.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.erpchat.events.SendOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who sent a command record this service cannot read, when the record still says so. */
class UnreadableCommandsTest {

    @Test
    void aCommandOfANewerVersionNamesItsSenderAndSession() {
        String newer = "{\"eventType\":\"SendMessageCommand\",\"schemaVersion\":2,\"senderId\":7,\"groupId\":12,"
                + "\"clientMsgId\":\"c-1\",\"origin\":{\"gatewayId\":\"gw-1\",\"sessionId\":\"s-42\"},"
                + "\"somethingNew\":{\"a\":[1,2]}}";

        assertThat(UnreadableCommands.identify(newer.getBytes(StandardCharsets.UTF_8)))
                .contains(new UnreadableCommands.Sender(7, "c-1", null, 12L, new SendOrigin("gw-1", "s-42")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "garbage",
                "[1,2]",
                "{\"eventType\":\"PresenceChanged\",\"senderId\":7,\"clientMsgId\":\"c-1\","
                        + "\"origin\":{\"gatewayId\":\"gw-1\",\"sessionId\":\"s-42\"}}",
                // No session to answer, or no sender, or a client message id no client could have sent.
                "{\"eventType\":\"SendMessageCommand\",\"senderId\":7,\"clientMsgId\":\"c-1\"}",
                "{\"eventType\":\"SendMessageCommand\",\"senderId\":7,\"clientMsgId\":\"c-1\","
                        + "\"origin\":{\"gatewayId\":\" \",\"sessionId\":\"s-42\"}}",
                "{\"eventType\":\"SendMessageCommand\",\"senderId\":-7,\"clientMsgId\":\"c-1\","
                        + "\"origin\":{\"gatewayId\":\"gw-1\",\"sessionId\":\"s-42\"}}",
                "{\"eventType\":\"SendMessageCommand\",\"senderId\":\"7\",\"clientMsgId\":\"c-1\","
                        + "\"origin\":{\"gatewayId\":\"gw-1\",\"sessionId\":\"s-42\"}}",
                "{\"eventType\":\"SendMessageCommand\",\"senderId\":7.5,\"clientMsgId\":\"c-1\","
                        + "\"origin\":{\"gatewayId\":\"gw-1\",\"sessionId\":\"s-42\"}}",
                "{\"eventType\":\"SendMessageCommand\",\"senderId\":7,\"clientMsgId\":\"with space\","
                        + "\"origin\":{\"gatewayId\":\"gw-1\",\"sessionId\":\"s-42\"}}",
                "{\"eventType\":\"SendMessageCommand\",\"senderId\":7,\"clientMsgId\":\"c-1\","
                        + "\"origin\":{\"gatewayId\":\"gw-1\",\"sessionId\":42}}"
            })
    void aRecordThatDoesNotSayWhoseSendItIsIsNotAnswered(String json) {
        assertThat(UnreadableCommands.identify(json.getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @Test
    void anOriginLongerThanTheContractAllowsIsNotAnswered() {
        String json = "{\"eventType\":\"SendMessageCommand\",\"senderId\":7,\"clientMsgId\":\"c-1\","
                + "\"origin\":{\"gatewayId\":\"" + "g".repeat(1_001) + "\",\"sessionId\":\"s-42\"}}";

        assertThat(UnreadableCommands.identify(json.getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }
}
