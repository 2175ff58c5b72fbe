package org.erpchat.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void ignoresFieldsItDoesNotKnowSoThatAddingAnOptionalFieldIsCompatible() {
        ChatEvent event = codec.decode("""
                {"eventType":"ConnectionOpened","schemaVersion":1,"gatewayId":"gw-1","sessionId":"s-1",
                 "userId":7,"openedAt":"2026-11-25T08:30:00Z","addedInAFutureMinorChange":"x"}
                """);

        assertThat(event).isInstanceOf(ConnectionOpened.class);
    }

    @Test
    void readsTheTypeAndVersionWhereverTheyAreInTheObject() {
        // This codec writes them first and reads that layout in one pass; another producer may put them anywhere.
        ChatEvent first = codec.decode("""
                {"eventType":"ConnectionOpened","schemaVersion":1,"gatewayId":"gw-1","sessionId":"s-1",
                 "userId":7,"openedAt":"2026-11-25T08:30:00Z"}
                """);
        ChatEvent last = codec.decode("""
                {"gatewayId":"gw-1","sessionId":"s-1","userId":7,"openedAt":"2026-11-25T08:30:00Z",
                 "schemaVersion":1,"eventType":"ConnectionOpened"}
                """);

        assertThat(last).isEqualTo(first).isInstanceOf(ConnectionOpened.class);
        assertThat(codec.decode(codec.encode(first))).isEqualTo(first);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":1,\"gatewayId\":\"gw\",\"sessionId\":\"s\","
                        + "\"userId\":7,\"openedAt\":\"2026-11-25T08:30:00Z\"} trailing",
                "{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":1,\"gatewayId\":\"gw\",\"sessionId\":\"s\","
                        + "\"userId\":7,\"openedAt\":\"2026-11-25T08:30:00Z\"",
                "{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":99999999999,\"userId\":7}",
                "not json",
                "[1,2]",
                "{\"schemaVersion\":1}",
                "{\"eventType\":\"NoSuchEvent\",\"schemaVersion\":1}",
                "{\"eventType\":\"PresenceChanged\"}",
                "{\"eventType\":\"PresenceChanged\",\"schemaVersion\":2,\"userId\":7,\"online\":true,"
                        + "\"lastSeenAt\":\"2026-11-25T08:30:00Z\",\"changedAt\":\"2026-11-25T08:30:00Z\"}",
                "{\"eventType\":\"PresenceChanged\",\"schemaVersion\":1,\"userId\":7,"
                        + "\"lastSeenAt\":\"2026-11-25T08:30:00Z\",\"changedAt\":\"2026-11-25T08:30:00Z\"}",
                "{\"eventType\":\"PresenceChanged\",\"schemaVersion\":1,\"userId\":-1,\"online\":true,"
                        + "\"lastSeenAt\":\"2026-11-25T08:30:00Z\",\"changedAt\":\"2026-11-25T08:30:00Z\"}",
                "{\"eventType\":\"MessageCreated\",\"schemaVersion\":1,\"messageId\":\"m\",\"conversationId\":1}",
                "{\"eventType\":\"SendMessageCommand\",\"schemaVersion\":1,\"senderId\":7,\"receiverId\":9,"
                        + "\"groupId\":12,\"clientMsgId\":\"c\",\"origin\":{\"gatewayId\":\"g\",\"sessionId\":\"s\"},"
                        + "\"issuedAt\":\"2026-11-25T08:30:00Z\"}",
                "{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":1,\"gatewayId\":\"gw\",\"sessionId\":\"s\","
                        + "\"userId\":\"seven\",\"openedAt\":\"2026-11-25T08:30:00Z\"}",
                // A value of another JSON type than its field's: not read as the nearest thing that fits.
                "{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":1,\"gatewayId\":\"gw\",\"sessionId\":\"s\","
                        + "\"userId\":7.9,\"openedAt\":\"2026-11-25T08:30:00Z\"}",
                "{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":1,\"gatewayId\":\"gw\",\"sessionId\":42,"
                        + "\"userId\":7,\"openedAt\":\"2026-11-25T08:30:00Z\"}",
                "{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":1,\"gatewayId\":true,\"sessionId\":\"s\","
                        + "\"userId\":7,\"openedAt\":\"2026-11-25T08:30:00Z\"}",
                "{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":1,\"gatewayId\":\"gw\",\"sessionId\":\"s\","
                        + "\"userId\":\"07\",\"openedAt\":\"2026-11-25T08:30:00Z\"}",
                // A member named twice: refused, not read as one of its values.
                "{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":1,\"gatewayId\":\"gw\",\"sessionId\":\"s\","
                        + "\"userId\":7,\"userId\":8,\"openedAt\":\"2026-11-25T08:30:00Z\"}",
                "{\"eventType\":\"ConnectionOpened\",\"eventType\":\"ConnectionClosed\",\"schemaVersion\":1,"
                        + "\"gatewayId\":\"gw\",\"sessionId\":\"s\",\"userId\":7,"
                        + "\"openedAt\":\"2026-11-25T08:30:00Z\"}",
                // Instants outside 1970-9999: valid JSON and valid Instants, but no event's time, and milliseconds of
                // them overflow in the consumer.
                "{\"eventType\":\"GatewayHeartbeat\",\"schemaVersion\":1,\"gatewayId\":\"gw\","
                        + "\"sentAt\":\"+999999999-12-31T23:59:59Z\",\"part\":0,\"partCount\":1,\"sessions\":[]}",
                "{\"eventType\":\"GatewayHeartbeat\",\"schemaVersion\":1,\"gatewayId\":\"gw\","
                        + "\"sentAt\":10000000000000000,\"part\":0,\"partCount\":1,\"sessions\":[]}",
                "{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":1,\"gatewayId\":\"gw\",\"sessionId\":\"s\","
                        + "\"userId\":7,\"openedAt\":\"1969-12-31T23:59:59Z\"}"
            })
    void refusesWhatIsNotAValidEvent(String json) {
        assertThatThrownBy(() -> codec.decode(json)).isInstanceOf(EventDecodingException.class);
    }

    @Test
    void refusesAListOfMoreUserIdsThanTheLargestGroupHas() {
        String most = typingTo(EventLimits.MAX_USER_IDS);
        String tooMany = typingTo(EventLimits.MAX_USER_IDS + 1);

        assertThat(codec.decode(most))
                .isInstanceOfSatisfying(
                        TypingIndicated.class,
                        typing -> assertThat(typing.recipientIds()).hasSize(EventLimits.MAX_USER_IDS));
        assertThatThrownBy(() -> codec.decode(tooMany))
                .isInstanceOf(EventDecodingException.class)
                .hasStackTraceContaining("recipientIds must hold at most 20000 user ids, had 20001");
    }

    @Test
    void refusesAnOriginWithAnIdLongerThanAnyGatewayOrSessionHas() {
        String longest = "g".repeat(EventLimits.MAX_ORIGIN_ID_LENGTH);
        String tooLong = longest + "g";
        String command = "{\"eventType\":\"SendMessageCommand\",\"schemaVersion\":1,\"senderId\":7,\"receiverId\":9,"
                + "\"type\":\"text\",\"content\":\"hi\",\"clientMsgId\":\"c-1\",\"origin\":{\"gatewayId\":\"%s\","
                + "\"sessionId\":\"s\"},\"issuedAt\":\"2026-11-25T08:30:00Z\"}";

        assertThat(codec.decode(command.formatted(longest))).isInstanceOf(SendMessageCommand.class);
        assertThatThrownBy(() -> codec.decode(command.formatted(tooLong)))
                .isInstanceOf(EventDecodingException.class)
                .hasStackTraceContaining("gatewayId must be at most 1000 characters, had 1001");
    }

    /** A group's TypingIndicated as a forged record would carry it, with {@code recipients} recipients. */
    private static String typingTo(int recipients) {
        String ids = IntStream.rangeClosed(1, recipients)
                .mapToObj(id -> Long.toString(1_000_000_000L + id))
                .collect(Collectors.joining(","));
        return "{\"eventType\":\"TypingIndicated\",\"schemaVersion\":1,\"conversationId\":3,"
                + "\"conversationKind\":\"group\",\"userId\":7,\"recipientIds\":[" + ids + "],\"typing\":true,"
                + "\"at\":\"2026-11-25T08:30:00Z\"}";
    }

    @Test
    void acceptsInstantsUpToTheEndOfTheYear9999() {
        ConnectionOpened last = new ConnectionOpened("gw", "s", 7, Instant.parse("9999-12-31T23:59:59.999999999Z"));
        ConnectionOpened first = new ConnectionOpened("gw", "s", 7, Instant.EPOCH);

        assertThat(codec.decode(codec.encode(last))).isEqualTo(last);
        assertThat(codec.decode(codec.encode(first))).isEqualTo(first);
    }

    @Test
    void refusesAMissingRecord() {
        assertThatThrownBy(() -> codec.decode((byte[]) null)).isInstanceOf(EventDecodingException.class);
    }

    @Test
    void kafkaSerializerWritesTypeAndVersionHeadersAndTheDeserializerReadsTheBodyBack() {
        ChatEvent event = EventExamples.ALL.get(EventType.MESSAGE_CREATED);
        RecordHeaders headers = new RecordHeaders();

        byte[] body;
        try (ChatEventSerializer serializer = new ChatEventSerializer()) {
            body = serializer.serialize(Topics.MESSAGE_EVENTS, headers, event);
        }

        assertThat(header(headers, EventHeaders.EVENT_TYPE)).isEqualTo("MessageCreated");
        assertThat(header(headers, EventHeaders.SCHEMA_VERSION)).isEqualTo("1");
        try (ChatEventDeserializer deserializer = new ChatEventDeserializer()) {
            assertThat(deserializer.deserialize(Topics.MESSAGE_EVENTS, body)).isEqualTo(event);
        }
    }

    @Test
    void eventsKnowTheirTopicAndPartitionKey() {
        MessageCreated created = (MessageCreated) EventExamples.ALL.get(EventType.MESSAGE_CREATED);

        assertThat(created.eventType().topic()).isEqualTo(Topics.MESSAGE_EVENTS);
        assertThat(created.partitionKey()).isEqualTo("12");
        assertThat(Topics.deadLetter(Topics.MESSAGE_COMMANDS)).isEqualTo("chat.message-commands.dlt");
    }

    private static String header(RecordHeaders headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
