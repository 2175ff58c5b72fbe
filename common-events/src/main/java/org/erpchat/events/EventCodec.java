package org.erpchat.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@link ChatEvent}s as JSON. The wire form is the record's fields preceded by {@code eventType} and
 * {@code schemaVersion}:
 *
 * <pre>{"eventType":"PresenceChanged","schemaVersion":1,"userId":7,"online":true,...}</pre>
 *
 * Readers are tolerant of fields they do not know (so adding an optional field is not a breaking change) and strict
 * about everything else: an unknown event type, a newer schema version, malformed JSON, a value of another JSON type
 * than its field's ({@link StrictJsonTypes}: no number read as text, no fraction read as an id) or a record that
 * fails its own checks all raise {@link EventDecodingException}. Thread-safe.
 */
public final class EventCodec {

    public static final String EVENT_TYPE_FIELD = "eventType";
    public static final String SCHEMA_VERSION_FIELD = "schemaVersion";

    private final JsonMapper mapper = StrictJsonTypes.apply(JsonMapper.builder())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    public byte[] encode(ChatEvent event) {
        // The record's own JSON with the two header fields spliced in front of its first field: the same bytes as
        // building the object as a tree, without the tree (every event on every Kafka hop passes here).
        EventType type = event.eventType();
        byte[] body = mapper.writeValueAsBytes(event);
        byte[] head = ("{\"" + EVENT_TYPE_FIELD + "\":\"" + type.wireName() + "\",\"" + SCHEMA_VERSION_FIELD + "\":"
                        + type.schemaVersion() + (body.length > 2 ? "," : ""))
                .getBytes(StandardCharsets.UTF_8);
        byte[] json = new byte[head.length + body.length - 1];
        System.arraycopy(head, 0, json, 0, head.length);
        System.arraycopy(body, 1, json, head.length, body.length - 1);
        return json;
    }

    public String encodeToString(ChatEvent event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    public ChatEvent decode(byte[] json) {
        if (json == null || json.length == 0) {
            throw new EventDecodingException("empty record");
        }
        ChatEvent streamed = decodeInOrder(json);
        if (streamed != null) {
            return streamed;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new EventDecodingException("malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new EventDecodingException("an event must be a JSON object");
        }
        EventType type = typeOf(object);
        try {
            return mapper.treeToValue(object, type.recordClass());
        } catch (JacksonException e) {
            throw new EventDecodingException("invalid " + type.wireName() + ": " + rootCauseMessage(e), e);
        }
    }

    /**
     * The common case, read in one pass: {@code eventType} and {@code schemaVersion} first (as {@link #encode} writes
     * them), then the record's fields read straight into the record. Null when the event is not laid out that way;
     * the tree then finds the header fields wherever they are.
     */
    private ChatEvent decodeInOrder(byte[] json) {
        EventType type;
        try (JsonParser parser = mapper.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT
                    || !EVENT_TYPE_FIELD.equals(parser.nextName())
                    || parser.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            String typeName = parser.getString();
            if (!SCHEMA_VERSION_FIELD.equals(parser.nextName()) || parser.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                return null;
            }
            type = checkedType(typeName, parser.getIntValue());
            parser.nextToken(); // the record's first field, or the end of an empty one
            ChatEvent event;
            try {
                event = mapper.readerFor(type.recordClass()).readValue(parser);
            } catch (StreamReadException e) {
                throw e;
            } catch (JacksonException e) {
                throw new EventDecodingException("invalid " + type.wireName() + ": " + rootCauseMessage(e), e);
            }
            if (parser.nextToken() != null) {
                throw new EventDecodingException("malformed JSON: content after the event");
            }
            return event;
        } catch (StreamReadException e) {
            throw new EventDecodingException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    public ChatEvent decode(String json) {
        return decode(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private static EventType typeOf(ObjectNode object) {
        JsonNode typeNode = object.remove(EVENT_TYPE_FIELD);
        JsonNode versionNode = object.remove(SCHEMA_VERSION_FIELD);
        if (typeNode == null || !typeNode.isString()) {
            throw new EventDecodingException("missing " + EVENT_TYPE_FIELD);
        }
        if (versionNode == null || !versionNode.isIntegralNumber()) {
            throw new EventDecodingException("missing " + SCHEMA_VERSION_FIELD);
        }
        return checkedType(typeNode.stringValue(), versionNode.intValue());
    }

    private static EventType checkedType(String typeName, int version) {
        EventType type = EventType.fromWireName(typeName)
                .orElseThrow(() -> new EventDecodingException("unknown event type " + typeName));
        if (version < 1 || version > type.schemaVersion()) {
            throw new EventDecodingException("unsupported " + type.wireName() + " schema version " + version
                    + " (this reader knows up to " + type.schemaVersion() + ")");
        }
        return type;
    }

    private static String rootCauseMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause instanceof JacksonException jackson ? jackson.getOriginalMessage() : cause.getMessage();
    }
}
