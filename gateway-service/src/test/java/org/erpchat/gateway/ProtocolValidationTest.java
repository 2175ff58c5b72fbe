package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.websocket.core.OpCode;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.events.SendRules;
import org.erpchat.events.Topics;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.RawWebSocket;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.KafkaEventCollector;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Everything a client sends is untrusted: bad frames get an error event and the connection stays open. */
class ProtocolValidationTest extends GatewayTest {

    @Autowired
    ChatInfrastructure infrastructure;

    @Test
    void malformedJsonGetsAnErrorAndTheConnectionStaysOpen() {
        try (WsTestClient client = connect(newUserId())) {
            client.sendRaw("{not json");

            assertThat(code(client.awaitFrame("error"))).isEqualTo("malformed_json");
            assertStillOpen(client);
        }
    }

    @Test
    void aFrameThatIsNotAnEnvelopeGetsAnError() {
        try (WsTestClient client = connect(newUserId())) {
            client.sendRaw("[1,2,3]");
            client.sendRaw("{\"data\":{}}");
            client.sendRaw("{\"event\":\"ping\",\"data\":[]}");

            assertThat(client.awaitFrames("error", data -> true, 3))
                    .extracting(ProtocolValidationTest::code)
                    .containsOnly("invalid_envelope");
            assertStillOpen(client);
        }
    }

    @Test
    void anUnknownEventGetsAnError() {
        try (WsTestClient client = connect(newUserId())) {
            client.send("delete_everything", Map.of());

            WsTestClient.Frame error = client.awaitFrame("error");
            assertThat(code(error)).isEqualTo("unknown_event");
            assertThat(error.data().path("message").asString()).contains("delete_everything");
            assertThat(error.data().path("event").asString()).isEqualTo("delete_everything");
            assertStillOpen(client);
        }
    }

    @Test
    void aMissingOrMistypedFieldGetsAnErrorNamingTheFieldAndTheSend() {
        try (WsTestClient client = connect(newUserId())) {
            client.send("send_private_message", Map.of("content", "hi", "client_msg_id", "c-missing"));
            client.send("send_private_message", Map.of("receiver_id", "abc", "content", "hi"));
            client.send("send_group_message", Map.of("group_id", 5, "content", "hi", "type", "video"));
            client.send("mark_read", Map.of("conversation_id", 5, "seq", -1));

            var errors = client.awaitFrames("error", data -> true, 4);
            assertThat(errors).extracting(ProtocolValidationTest::code).containsOnly("invalid_payload");
            assertThat(errors.get(0).data().path("message").asString()).contains("receiver_id");
            assertThat(errors.get(0).data().path("event").asString()).isEqualTo("send_private_message");
            assertThat(errors.get(0).data().path("client_msg_id").asString()).isEqualTo("c-missing");
            assertThat(errors.get(2).data().path("message").asString()).contains("type");
            assertThat(errors.get(3).data().path("message").asString()).contains("seq");
            assertStillOpen(client);
        }
    }

    @Test
    void textThatCannotBeStoredIsRefusedByTheGatewayWithInvalidMessage() {
        long user = newUserId();
        try (KafkaEventCollector commands = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_COMMANDS);
                WsTestClient client = connect(user)) {
            // JSON escapes, as a client's JSON encoder writes them: the decoded text holds a NUL, a lone surrogate.
            client.sendRaw("{\"event\":\"send_private_message\",\"data\":{\"receiver_id\":2,"
                    + "\"content\":\"nul\\u0000byte\",\"client_msg_id\":\"nul-1\"}}");
            client.sendRaw("{\"event\":\"send_private_message\",\"data\":{\"receiver_id\":2,"
                    + "\"content\":\"lone \\ud800 surrogate\",\"client_msg_id\":\"lone-1\"}}");
            client.sendRaw("{\"event\":\"send_group_message\",\"data\":{\"group_id\":5,\"type\":\"file\","
                    + "\"content\":\"report.pdf\",\"file_id\":\"f\\u0000\",\"client_msg_id\":\"file-1\"}}");

            List<WsTestClient.Frame> refused = client.awaitFrames("message_error", data -> true, 3);
            assertThat(refused)
                    .extracting(frame -> frame.data().path("client_msg_id").asString())
                    .containsExactly("nul-1", "lone-1", "file-1");
            assertThat(refused)
                    .extracting(frame -> frame.data().path("code").asString())
                    .containsOnly("invalid_message");
            assertThat(refused.get(0).data().path("message").asString())
                    .isEqualTo(SendRules.unstorableReason("content", "nul\u0000byte"));
            assertThat(refused.get(1).data().path("message").asString())
                    .isEqualTo(SendRules.unstorableReason("content", "lone \ud800 surrogate"));
            assertThat(refused.get(2).data().path("message").asString())
                    .isEqualTo(SendRules.unstorableReason("file_id", "f\u0000"));
            assertThat(refused.get(2).data().path("group_id").asLong()).isEqualTo(5);
            assertStillOpen(client);

            // None of them went to Kafka: a valid send made afterwards is the first command of this user.
            client.send("send_private_message", Map.of("receiver_id", 2, "content", "fine", "client_msg_id", "ok-1"));
            commands.awaitEvent(SendMessageCommand.class, command -> command.senderId() == user);
            assertThat(commands.events(SendMessageCommand.class, command -> command.senderId() == user))
                    .extracting(SendMessageCommand::clientMsgId)
                    .containsExactly("ok-1");
        }
    }

    @Test
    void aClientMsgIdBreakingTheSharedRuleIsRefusedWithTheRule() {
        try (WsTestClient client = connect(newUserId())) {
            client.send(
                    "send_private_message", Map.of("receiver_id", 2, "content", "hi", "client_msg_id", "has space"));

            WsTestClient.Frame error = client.awaitFrame("error");
            assertThat(code(error)).isEqualTo("invalid_payload");
            assertThat(error.data().path("message").asString()).isEqualTo(SendRules.CLIENT_MSG_ID_RULE);
            assertStillOpen(client);
        }
    }

    @Test
    void binaryFramesGetAnError() {
        try (WsTestClient client = connect(newUserId())) {
            client.sendBinary(new byte[] {1, 2, 3});

            assertThat(code(client.awaitFrame("error"))).isEqualTo("binary_not_supported");
            assertStillOpen(client);
        }
    }

    @Test
    void aBinaryFrameOfSeveralKilobytesGetsAnErrorToo() {
        try (WsTestClient client = connect(newUserId())) {
            // A library that sends a Blob or an ArrayBuffer by mistake: told so, not closed with "message too big".
            client.sendBinary(new byte[8_000]);

            assertThat(code(client.awaitFrame("error"))).isEqualTo("binary_not_supported");
            assertStillOpen(client);
        }
    }

    @Test
    void aBinaryFrameOverTheMessageSizeLimitClosesTheConnectionWith1009() {
        try (WsTestClient client = connect(newUserId())) {
            client.sendBinary(new byte[20_000]);

            assertThat(client.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void anEmptyFrameOrAFieldNamedTwiceIsMalformedJson() {
        try (WsTestClient client = connect(newUserId())) {
            client.sendRaw("");
            client.sendRaw("{\"event\":\"ping\",\"event\":\"mark_read\",\"data\":{}}");

            assertThat(client.awaitFrames("error", data -> true, 2))
                    .extracting(ProtocolValidationTest::code)
                    .containsOnly("malformed_json");
            assertStillOpen(client);
        }
    }

    @Test
    void aFrameWithoutDataIsReadAsIfDataWereEmpty() {
        try (WsTestClient client = connect(newUserId())) {
            client.sendRaw("{\"event\":\"ping\"}");

            client.awaitFrame("pong");
            client.sendRaw("{\"event\":\"mark_read\"}");
            assertThat(code(client.awaitFrame("error"))).isEqualTo("invalid_payload");
        }
    }

    @Test
    void anOversizedFrameClosesTheConnectionWith1009() {
        try (WsTestClient client = connect(newUserId())) {
            client.send("send_private_message", Map.of("receiver_id", 2, "content", "x".repeat(20_000)));

            assertThat(client.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void aMessageSentInFragmentsIsReadAsOne() {
        try (WsTestClient client = connect(newUserId())) {
            client.sendFragments("{\"event\":\"pi", "ng\",\"da", "ta\":{}}");

            client.awaitFrame("pong");
            assertStillOpen(client);
        }
    }

    @Test
    void fragmentsThatTogetherExceedTheFrameLimitCloseTheConnectionWith1009() {
        try (WsTestClient client = connect(newUserId())) {
            String part = "x".repeat(7_000);
            client.sendFragments("{\"event\":\"ping\",\"data\":{\"pad\":\"" + part, part, part + "\"}}");

            assertThat(client.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void aContinuationFrameWithoutAMessageToContinueClosesTheConnectionWith1002() throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(port, "token=" + TestTokens.forUser(newUserId()))) {
            socket.sendFrame(OpCode.CONTINUATION, true, "{\"event\":\"ping\",\"data\":{}}");

            assertThat(socket.awaitCloseCode()).isEqualTo(1002);
        }
    }

    @Test
    void aNewMessageBeforeTheFragmentedOneEndedClosesTheConnectionWith1002() throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(port, "token=" + TestTokens.forUser(newUserId()))) {
            socket.sendFrame(OpCode.TEXT, false, "{\"event\":\"pi");
            socket.sendFrame(OpCode.TEXT, true, "{\"event\":\"ping\",\"data\":{}}");

            assertThat(socket.awaitCloseCode()).isEqualTo(1002);
        }
    }

    @Test
    void aWebSocketPingIsAnsweredWithAPongCarryingItsPayload() {
        try (WsTestClient client = connect(newUserId())) {
            client.ping("are you there");

            assertThat(client.awaitPong()).isEqualTo("are you there");
            assertStillOpen(client);
        }
    }

    @Test
    void textThatIsNotUtf8ClosesTheConnectionWith1007() {
        try (WsTestClient client = connect(newUserId())) {
            client.sendTextBytes(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});

            assertThat(client.awaitClose()).isEqualTo(1007);
        }
    }

    @Test
    void sustainedAbuseClosesTheConnectionWith1008() {
        try (WsTestClient client = connect(newUserId())) {
            try {
                for (int i = 0; i < 40 && !client.isClosed(); i++) {
                    client.sendRaw("garbage " + i);
                }
            } catch (CompletionException closedUnderneath) {
                // The server's close frame can arrive between the check and the send: the client's output is closed.
            }

            assertThat(client.awaitClose()).isEqualTo(1008);
            assertThat(client.frames("error")).isNotEmpty();
        }
    }

    @Test
    void aClientSendingFasterThanItsAllowanceIsToldAndItsExcessIgnored() {
        try (WsTestClient client = connect(newUserId())) {
            for (int i = 0; i < 45; i++) {
                client.send("ping", Map.of());
            }

            client.awaitFrame("error", data -> data.path("code").asString().equals("rate_limited"));
            assertThat(client.frames("pong").size()).isLessThan(45);
        }
    }

    @Test
    void typingOnEveryKeystrokeNeitherUsesUpTheSendAllowanceNorIsAnsweredForItsRate() {
        try (WsTestClient client = connect(newUserId())) {
            // A key held down: far more typing than its own allowance (30 at once, then 10 a second).
            for (int i = 0; i < 100; i++) {
                client.send("user_typing", Map.of("receiver_id", 9_999_999));
            }
            // The burst of other frames is still there (all but the one assertStillOpen sends), and the connection is
            // open.
            for (int i = 0; i < 29; i++) {
                client.send("ping", Map.of());
            }

            client.awaitFrames("pong", data -> true, 29);
            assertThat(client.frames("error"))
                    .extracting(ProtocolValidationTest::code)
                    .doesNotContain("rate_limited");
            assertStillOpen(client);
        }
    }

    @Test
    void aClientFloodingTypingIsClosedWith1008() {
        try (WsTestClient client = connect(newUserId())) {
            try {
                // Enough to be closed by (the burst, then ten dropped for each of the 31 violations that close it), but
                // not so many more that the client still floods the connection while the close goes both ways.
                for (int i = 0; i < 500 && !client.isClosed(); i++) {
                    client.send("typing", Map.of("conversation_id", 9_999_999));
                }
            } catch (CompletionException closedUnderneath) {
                // The server's close frame can arrive between the check and the send: the client's output is closed.
            }

            assertThat(client.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void theApplicationLevelPingIsAnswered() {
        try (WsTestClient client = connect(newUserId())) {
            client.send("ping", Map.of());

            assertThat(client.awaitFrame("pong").data().path("server_time").asString())
                    .isNotBlank();
        }
    }

    private static String code(WsTestClient.Frame frame) {
        return frame.data().path("code").asString();
    }

    private static void assertStillOpen(WsTestClient client) {
        int pongs = client.frames("pong").size();
        client.send("ping", Map.of());
        client.awaitFrames("pong", data -> true, pongs + 1);
        assertThat(client.isClosed()).isFalse();
    }
}
