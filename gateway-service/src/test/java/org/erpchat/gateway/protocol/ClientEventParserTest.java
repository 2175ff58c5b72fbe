package org.erpchat.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The edge inputs of docs/protocol.md §2 and §5, one frame at a time, without a server. */
class ClientEventParserTest {

    private final ClientEventParser parser = new ClientEventParser(10_000, 500);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "{not json",
                "{\"event\":\"ping\",\"data\":{}} trailing",
                "{\"event\":\"ping\",\"data\":{}}{\"event\":\"ping\",\"data\":{}}",
                "{'event':'ping','data':{}}",
                "{\"event\":\"ping\",\"data\":{},}",
                "{\"event\":\"mark_read\",\"data\":{\"conversation_id\":NaN,\"seq\":1}}"
            })
    void whatIsNotOneJsonValueIsMalformedJson(String frame) {
        assertThat(code(frame)).isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    @Test
    void aFieldNamedTwiceIsMalformedJsonRatherThanSilentlyOneOfItsValues() {
        assertThat(code("{\"event\":\"ping\",\"event\":\"auth\",\"data\":{}}")).isEqualTo(ErrorCode.MALFORMED_JSON);
        ProtocolException twice =
                refusal("{\"event\":\"mark_read\",\"data\":{\"conversation_id\":1,\"conversation_id\":2,\"seq\":1}}");
        assertThat(twice.code()).isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(twice.getMessage()).contains("conversation_id");
        assertThat(code("{\"event\":\"resume\",\"data\":{\"positions\":{\"12\":3,\"12\":5}}}"))
                .isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[1,2,3]", "42", "{\"data\":{}}", "{\"event\":5,\"data\":{}}", "{\"event\":\"\"}"})
    void whatIsNotAnEnvelopeIsAnInvalidEnvelope(String frame) {
        assertThat(code(frame)).isEqualTo(ErrorCode.INVALID_ENVELOPE);
    }

    @Test
    void anErrorNamesALongEventAbbreviatedRatherThanEchoingIt() {
        String name = "x".repeat(10_000);
        assertThat(refusal("{\"event\":\"" + name + "\",\"data\":{}}").event()).hasSizeLessThan(50);
        ProtocolException notAnObject = refusal("{\"event\":\"" + name + "\",\"data\":[]}");
        assertThat(notAnObject.code()).isEqualTo(ErrorCode.INVALID_ENVELOPE);
        assertThat(notAnObject.event()).hasSizeLessThan(50);
    }

    @Test
    void aMissingOrNullDataReadsAsAnEmptyObject() {
        assertThat(parser.parse("{\"event\":\"ping\"}")).isEqualTo(new ClientEvent.Ping());
        assertThat(parser.parse("{\"event\":\"ping\",\"data\":null}")).isEqualTo(new ClientEvent.Ping());
        assertThat(refusal("{\"event\":\"mark_read\"}").code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
    }

    @Test
    void eventNamesAreCaseSensitive() {
        assertThat(code("{\"event\":\"PING\",\"data\":{}}")).isEqualTo(ErrorCode.UNKNOWN_EVENT);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0",
                "-3",
                "1.0",
                "1.5",
                "1e2",
                "9223372036854775808",
                "99999999999999999999",
                "true",
                "\"\"",
                "\"-3\"",
                "\"012\"",
                "\"1.5\"",
                "\" 12\"",
                "\"9223372036854775808\"",
                "[1]",
                "{}"
            })
    void anIdThatIsNotAPositiveIntegerOfAtMost63BitsIsAnInvalidPayloadNamingTheField(String id) {
        ProtocolException refused =
                refusal("{\"event\":\"mark_read\",\"data\":{\"conversation_id\":" + id + ",\"seq\":1}}");
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
        assertThat(refused.getMessage()).contains("conversation_id");
    }

    @Test
    void anIdIsAcceptedAsANumberOrAStringOfDigitsOverTheWholePositiveRange() {
        assertThat(parser.parse(
                        "{\"event\":\"mark_read\",\"data\":{\"conversation_id\":9223372036854775807,\"seq\":1}}"))
                .isEqualTo(new ClientEvent.MarkRead(Long.MAX_VALUE, 1));
        assertThat(parser.parse(
                        "{\"event\":\"mark_read\",\"data\":{\"conversation_id\":\"9223372036854775807\",\"seq\":1}}"))
                .isEqualTo(new ClientEvent.MarkRead(Long.MAX_VALUE, 1));
        assertThat(parser.parse("{\"event\":\"resume\",\"data\":{\"positions\":{\"9223372036854775807\":4}}}"))
                .isEqualTo(new ClientEvent.Resume(Map.of(Long.MAX_VALUE, 4L), false));
        assertThat(parser.parse("{\"event\":\"presence_subscribe\",\"data\":{\"user_ids\":[\"9223372036854775807\"]}}"))
                .isEqualTo(new ClientEvent.PresenceSubscribe(java.util.List.of(Long.MAX_VALUE)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.0", "\"4\"", "9223372036854775808", "null"})
    void aSeqThatIsNotANonNegativeIntegerIsAnInvalidPayload(String seq) {
        ProtocolException refused =
                refusal("{\"event\":\"mark_read\",\"data\":{\"conversation_id\":1,\"seq\":" + seq + "}}");
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
        assertThat(refused.getMessage()).contains("seq");
    }

    @Test
    void typingNamedSeveralWaysTakesTheGroupFirstThenTheReceiverThenTheConversationId() {
        // The seed's user_typing carries its own conversation id beside receiver_id: digits from the seed's id space
        // would name some other conversation of ours.
        assertThat(parser.parse("{\"event\":\"user_typing\",\"data\":{\"conversation_id\":\"12\",\"receiver_id\":9}}"))
                .isEqualTo(new ClientEvent.Typing(null, 9L, null, true, "user_typing"));
        assertThat(parser.parse("{\"event\":\"user_typing\",\"data\":{\"conversation_id\":12,\"receiver_id\":9}}"))
                .isEqualTo(new ClientEvent.Typing(null, 9L, null, true, "user_typing"));
        assertThat(parser.parse("{\"event\":\"typing\",\"data\":{\"group_id\":31,\"receiver_id\":9}}"))
                .isEqualTo(new ClientEvent.Typing(null, 9L, 31L, true, "typing"));
        assertThat(parser.parse("{\"event\":\"stop_typing\",\"data\":{\"conversation_id\":12,\"is_typing\":true}}"))
                .isEqualTo(new ClientEvent.Typing(12L, null, null, false, "stop_typing"));
        assertThat(refusal("{\"event\":\"typing\",\"data\":{\"is_typing\":true}}")
                        .code())
                .isEqualTo(ErrorCode.INVALID_PAYLOAD);
    }

    @Test
    void aTypingConversationIdThatIsNotOursGivesWayToTheReceiverOrGroupBesideIt() {
        // A seed client's own conversation id, which was a string of any shape.
        assertThat(parser.parse("{\"event\":\"user_typing\",\"data\":{\"conversation_id\":\"1_9\",\"receiver_id\":9}}"))
                .isEqualTo(new ClientEvent.Typing(null, 9L, null, true, "user_typing"));
        assertThat(parser.parse("{\"event\":\"typing\",\"data\":{\"conversation_id\":-3,\"group_id\":31}}"))
                .isEqualTo(new ClientEvent.Typing(null, null, 31L, true, "typing"));
        // Alone it must be an id, and an invalid receiver_id beside it is still refused.
        assertThat(refusal("{\"event\":\"typing\",\"data\":{\"conversation_id\":\"1_9\"}}")
                        .getMessage())
                .contains("conversation_id");
        assertThat(refusal("{\"event\":\"typing\",\"data\":{\"conversation_id\":12,\"receiver_id\":\"x\"}}")
                        .getMessage())
                .contains("receiver_id");
        assertThat(refusal("{\"event\":\"typing\",\"data\":{\"conversation_id\":12,\"is_typing\":\"yes\"}}")
                        .getMessage())
                .contains("is_typing");
    }

    @Test
    void wronglyTypedSendFieldsAreInvalidPayloadsCarryingTheClientMsgId() {
        ProtocolException refused = refusal(
                "{\"event\":\"send_private_message\",\"data\":{\"receiver_id\":2,\"content\":5,\"client_msg_id\":\"c-9\"}}");
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
        assertThat(refused.getMessage()).contains("content");
        assertThat(refused.clientMsgId()).isEqualTo("c-9");
        assertThat(refused.event()).isEqualTo("send_private_message");
    }

    @Test
    void aRefusedSendWithoutClientMsgIdIsNotToldOneTheGatewayMadeUp() {
        ProtocolException refused = refusal("{\"event\":\"send_group_message\",\"data\":{\"content\":\"hi\"}}");
        assertThat(refused.getMessage()).contains("group_id");
        assertThat(refused.clientMsgId()).isNull();
        ClientEvent.SendGroup accepted = (ClientEvent.SendGroup)
                parser.parse("{\"event\":\"send_group_message\",\"data\":{\"group_id\":5,\"content\":\"hi\"}}");
        assertThat(accepted.clientMsgId()).startsWith("gw-");
    }

    @Test
    void jsonBeyondTheParsersLimitsIsMalformedJson() {
        // Valid JSON in form, but deeper or longer than the parser reads: refused, never a stack overflow.
        assertThat(code("{\"event\":\"ping\",\"data\":{\"x\":" + "[".repeat(3000) + "]".repeat(3000) + "}}"))
                .isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(code("{\"event\":\"mark_read\",\"data\":{\"conversation_id\":" + "9".repeat(2000) + ",\"seq\":1}}"))
                .isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    private ErrorCode code(String frame) {
        return refusal(frame).code();
    }

    @Test
    void aLongEventNameIsCutBetweenCharactersNeverInsideOne() {
        String name = "a".repeat(39) + "\uD83D\uDE00" + "bc";

        ProtocolException refused = refusal("{\"event\":\"" + name + "\",\"data\":{}}");

        assertThat(refused.event()).isEqualTo("a".repeat(39) + "\uD83D\uDE00...");
        assertThat(refused.getMessage()).contains("a".repeat(39) + "\uD83D\uDE00...");
    }

    @Test
    void anAuthWithABlankTokenIsLeftToTheVerifierButOneWithoutATokenIsInvalid() {
        assertThat(parser.parse("{\"event\":\"auth\",\"data\":{\"token\":\"\"}}"))
                .isEqualTo(new ClientEvent.Auth("", false, false));
        assertThat(refusal("{\"event\":\"auth\",\"data\":{\"token\":7}}").code())
                .isEqualTo(ErrorCode.INVALID_PAYLOAD);
        assertThat(refusal("{\"event\":\"auth\",\"data\":{}}").code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
    }

    @Test
    void aNumericFileIdIsTakenAsItsDigits() {
        ClientEvent send = parser.parse(
                "{\"event\":\"send_private_message\",\"data\":{\"receiver_id\":9,\"type\":\"file\",\"file_id\":4711}}");

        assertThat(send)
                .isInstanceOfSatisfying(
                        ClientEvent.SendPrivate.class,
                        sent -> assertThat(sent.fileId()).isEqualTo("4711"));
        assertThat(refusal("{\"event\":\"send_group_message\",\"data\":{\"group_id\":9,\"type\":\"file\","
                                + "\"file_id\":1.5}}")
                        .getMessage())
                .contains("file_id");
    }

    private ProtocolException refusal(String frame) {
        ProtocolException refused = catchThrowableOfType(ProtocolException.class, () -> parser.parse(frame));
        assertThat(refused).as("refusal of %s", frame).isNotNull();
        return refused;
    }
}
