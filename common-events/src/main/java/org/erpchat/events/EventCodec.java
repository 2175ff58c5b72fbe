package org.erpchat.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
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
 * about everything else: an unknown event type, a newer schema version, malformed JSON or a record that fails its own
 * checks all raise {@link EventDecodingException}. Thread-safe.
 */
public final class EventCodec {

    public static final String EVENT_TYPE_FIELD = "eventType";
    public static final String SCHEMA_VERSION_FIELD = "schemaVersion";

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    public byte[] encode(ChatEvent event) {
        return mapper.writeValueAsBytes(toTree(event));
    }

    public String encodeToString(ChatEvent event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    public ChatEvent decode(byte[] json) {
        if (json == null || json.length == 0) {
            throw new EventDecodingException("empty record");
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

    public ChatEvent decode(String json) {
        return decode(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode toTree(ChatEvent event) {
        EventType type = event.eventType();
        ObjectNode node = mapper.createObjectNode();
        node.put(EVENT_TYPE_FIELD, type.wireName());
        node.put(SCHEMA_VERSION_FIELD, type.schemaVersion());
        node.setAll((ObjectNode) mapper.valueToTree(event));
        return node;
    }

    private static EventType typeOf(ObjectNode object) {
        JsonNode typeNode = object.remove(EVENT_TYPE_FIELD);
        JsonNode versionNode = object.remove(SCHEMA_VERSION_FIELD);
        if (typeNode == null || !typeNode.isString()) {
            throw new EventDecodingException("missing " + EVENT_TYPE_FIELD);
        }
        EventType type = EventType.fromWireName(typeNode.stringValue())
                .orElseThrow(() -> new EventDecodingException("unknown event type " + typeNode.stringValue()));
        if (versionNode == null || !versionNode.isIntegralNumber()) {
            throw new EventDecodingException("missing " + SCHEMA_VERSION_FIELD);
        }
        int version = versionNode.intValue();
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
