package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.junit.jupiter.api.Test;

/** Everything a client sends is untrusted: bad frames get an error event and the connection stays open. */
class ProtocolValidationTest extends GatewayTest {

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
    void binaryFramesGetAnError() {
        try (WsTestClient client = connect(newUserId())) {
            client.sendBinary(new byte[] {1, 2, 3});

            assertThat(code(client.awaitFrame("error"))).isEqualTo("binary_not_supported");
            assertStillOpen(client);
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
    void sustainedAbuseClosesTheConnectionWith1008() {
        try (WsTestClient client = connect(newUserId())) {
            for (int i = 0; i < 40 && !client.isClosed(); i++) {
                client.sendRaw("garbage " + i);
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
