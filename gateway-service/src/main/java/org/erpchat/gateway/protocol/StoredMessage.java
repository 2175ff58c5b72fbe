package org.erpchat.gateway.protocol;

import java.io.ByteArrayOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A message as message-service answers it in a sync or history page: already the shape clients receive
 * ({@link WireMessage}), so a replay passes it on without turning it into objects and back into JSON again. Read token
 * by token and written out again as it is read: what reaches a client is always well-formed JSON, whatever came in.
 * Only what the gateway itself needs is picked out: the conversation, the seq and whether it is a group's, and the
 * sender and {@code client_msg_id}, which tell a session's own send (delivered to it as its acknowledgement).
 *
 * @param senderId the sender, 0 when the message names none
 * @param clientMsgId the sender's {@code client_msg_id}, null when the message has none
 * @param json the message object's JSON, UTF-8
 */
@JsonDeserialize(using = StoredMessage.Reader.class)
public record StoredMessage(
        long conversationId, long seq, boolean group, long senderId, String clientMsgId, byte[] json) {

    /** {@code private_message} or {@code group_message}: the event a recipient receives this message as. */
    public String deliveryEvent() {
        return group ? "group_message" : "private_message";
    }

    /** Reads one message object of a page; a message without its conversation, seq or type makes the page unreadable. */
    static final class Reader extends ValueDeserializer<StoredMessage> {

        @Override
        public StoredMessage deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.START_OBJECT)) {
                return context.reportInputMismatch(StoredMessage.class, "a message is a JSON object");
            }
            long conversationId = -1;
            long seq = -1;
            String type = null;
            long senderId = 0;
            String clientMsgId = null;
            ByteArrayOutputStream json = new ByteArrayOutputStream(384);
            try (JsonGenerator out = WireJson.MAPPER.createGenerator(json)) {
                out.writeStartObject();
                for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                    JsonToken value = parser.nextToken();
                    switch (name) {
                        case "conversation_id" -> conversationId = number(parser, value, context);
                        case "seq" -> seq = number(parser, value, context);
                        case "conversation_type" -> type = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                        case "sender_id" -> senderId = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
                        case "client_msg_id" ->
                            clientMsgId = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                        default -> {
                            // passed on as it is
                        }
                    }
                    out.writeName(name);
                    out.copyCurrentStructure(parser);
                }
                out.writeEndObject();
            }
            if (conversationId <= 0 || seq <= 0 || !("group".equals(type) || "private".equals(type))) {
                return context.reportInputMismatch(
                        StoredMessage.class, "a message needs conversation_id, seq and conversation_type");
            }
            return new StoredMessage(
                    conversationId, seq, "group".equals(type), senderId, clientMsgId, json.toByteArray());
        }

        private static long number(JsonParser parser, JsonToken value, DeserializationContext context) {
            if (value != JsonToken.VALUE_NUMBER_INT) {
                return context.reportInputMismatch(StoredMessage.class, "conversation_id and seq are integers");
            }
            return parser.getLongValue();
        }
    }
}
