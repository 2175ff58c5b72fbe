package org.erpchat.gateway.protocol;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.erpchat.events.DigitStrings;
import org.erpchat.events.SendRules;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a text frame into a {@link ClientEvent}, checking the envelope and every field. Everything a client sends is
 * untrusted: nothing here throws anything but {@link ProtocolException}.
 */
public final class ClientEventParser {

    static final Set<String> MESSAGE_TYPES = Set.of("text", "file", "image");
    /**
     * Client frames only: a field named twice is refused rather than read as one of its values, so that nothing
     * (a proxy, a log, the client's own check) can read a different frame from the same bytes than the gateway does.
     */
    private static final JsonMapper FRAMES = WireJson.MAPPER
            .rebuild()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final int MAX_TOKEN_LENGTH = 8192;

    private final int maxResumePositions;
    private final int maxSubscriptions;

    public ClientEventParser(int maxResumePositions, int maxSubscriptions) {
        this.maxResumePositions = maxResumePositions;
        this.maxSubscriptions = maxSubscriptions;
    }

    public ClientEvent parse(String text) {
        JsonNode root;
        try {
            root = FRAMES.readTree(text);
        } catch (JacksonException e) {
            // The parser's own words say what and where (a duplicate field names the field); never the whole frame.
            throw new ProtocolException(
                    ErrorCode.MALFORMED_JSON,
                    "the frame is not valid JSON: " + abbreviate(String.valueOf(e.getOriginalMessage()), 200));
        }
        if (root == null || root.isMissingNode()) {
            throw new ProtocolException(ErrorCode.MALFORMED_JSON, "the frame is empty");
        }
        if (!(root instanceof ObjectNode envelope)
                || !envelope.path("event").isString()
                || envelope.path("event").stringValue().isBlank()) {
            throw new ProtocolException(
                    ErrorCode.INVALID_ENVELOPE, "a frame must be {\"event\": \"<name>\", \"data\": {...}}");
        }
        String event = envelope.get("event").stringValue();
        JsonNode dataNode = envelope.get("data");
        if (dataNode != null && !dataNode.isNull() && !dataNode.isObject()) {
            throw new ProtocolException(ErrorCode.INVALID_ENVELOPE, "data must be an object", abbreviate(event), null);
        }
        Fields data =
                new Fields(event, dataNode instanceof ObjectNode object ? object : WireJson.MAPPER.createObjectNode());
        return switch (event) {
            case "auth" ->
                new ClientEvent.Auth(
                        // Blank too: an empty token is refused by the verifier as invalid_token, like an empty ?token=.
                        data.requiredText("token", MAX_TOKEN_LENGTH),
                        data.optionalBoolean("resume", false),
                        data.optionalBoolean("presence_batch", false));
            case "send_private_message" -> sendPrivate(data);
            case "send_group_message" -> sendGroup(data);
            case "typing", "user_typing" -> typing(data, data.optionalBoolean("is_typing", true));
            case "stop_typing" -> typing(data, false);
            case "mark_read" -> new ClientEvent.MarkRead(data.requiredId("conversation_id"), data.requiredSeq("seq"));
            case "resume" -> resume(data);
            case "presence_subscribe" -> presenceSubscribe(data);
            case "ping" -> new ClientEvent.Ping();
            default ->
                throw new ProtocolException(
                        ErrorCode.UNKNOWN_EVENT, "unknown event '" + abbreviate(event) + "'", abbreviate(event), null);
        };
    }

    private ClientEvent sendPrivate(Fields data) {
        // Errors carry the client's own id only: one made up here would mean nothing to the client.
        String given = data.givenClientMsgId();
        return new ClientEvent.SendPrivate(
                data.requiredId("receiver_id", given),
                data.optionalString("content", given),
                data.messageType(given),
                data.fileId(given),
                orGenerated(given));
    }

    private ClientEvent sendGroup(Fields data) {
        String given = data.givenClientMsgId();
        return new ClientEvent.SendGroup(
                data.requiredId("group_id", given),
                data.optionalString("content", given),
                data.messageType(given),
                data.fileId(given),
                orGenerated(given));
    }

    /** Clients written for the seed send no {@code client_msg_id} and get a fresh one per frame. */
    private static String orGenerated(String clientMsgId) {
        return clientMsgId != null ? clientMsgId : "gw-" + UUID.randomUUID();
    }

    private static ClientEvent typing(Fields data, boolean typing) {
        Long receiverId = data.optionalId("receiver_id");
        Long groupId = data.optionalId("group_id");
        if (receiverId != null || groupId != null) {
            // The seed's user_typing carries its own conversation id beside receiver_id: a string of any shape from
            // the seed's id space, digits perhaps, which would name some other conversation of ours. What stands
            // beside it names the conversation the same way in both systems, so it wins.
            return new ClientEvent.Typing(null, receiverId, groupId, typing, data.event);
        }
        Long conversationId = data.optionalId("conversation_id");
        if (conversationId == null) {
            throw data.invalid("one of conversation_id, receiver_id or group_id is required", null);
        }
        return new ClientEvent.Typing(conversationId, null, null, typing, data.event);
    }

    private ClientEvent resume(Fields data) {
        JsonNode positions = data.node.get("positions");
        Map<Long, Long> parsed = new HashMap<>();
        if (positions != null && !positions.isNull()) {
            if (!positions.isObject()) {
                throw data.invalid("positions must be an object of conversation id to sequence number", null);
            }
            if (positions.size() > maxResumePositions) {
                throw data.invalid("positions may list at most " + maxResumePositions + " conversations", null);
            }
            for (Map.Entry<String, JsonNode> entry : positions.properties()) {
                long conversationId = DigitStrings.positiveId(entry.getKey());
                JsonNode seq = entry.getValue();
                if (conversationId <= 0 || !seq.canConvertToLong() || !seq.isIntegralNumber() || seq.longValue() < 0) {
                    throw data.invalid(
                            "positions must map positive conversation ids to non-negative sequence numbers", null);
                }
                parsed.put(conversationId, seq.longValue());
            }
        }
        return new ClientEvent.Resume(Map.copyOf(parsed), data.optionalBoolean("more", false));
    }

    private ClientEvent presenceSubscribe(Fields data) {
        JsonNode ids = data.node.get("user_ids");
        if (ids == null || !ids.isArray()) {
            throw data.invalid("user_ids must be an array of user ids", null);
        }
        if (ids.size() > maxSubscriptions) {
            throw data.invalid("user_ids may list at most " + maxSubscriptions + " users", null);
        }
        Set<Long> users = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            long user = -1;
            if (id.isIntegralNumber() && id.canConvertToLong()) {
                user = id.longValue();
            } else if (id.isString()) {
                user = DigitStrings.positiveId(id.stringValue());
            }
            if (user <= 0) {
                throw data.invalid("user_ids must hold positive user ids", null);
            }
            users.add(user);
        }
        return new ClientEvent.PresenceSubscribe(List.copyOf(users));
    }

    private static String abbreviate(String text) {
        return abbreviate(text, 40);
    }

    /** The first {@code length} characters (code points: an emoji is never cut in half) and "..." when longer. */
    static String abbreviate(String text, int length) {
        if (text.codePointCount(0, text.length()) <= length) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, length)) + "...";
    }

    /** Typed access to the {@code data} object, with errors that name the field. */
    private static final class Fields {
        private final String event;
        private final ObjectNode node;

        Fields(String event, ObjectNode node) {
            this.event = event;
            this.node = node;
        }

        ProtocolException invalid(String message, String clientMsgId) {
            return new ProtocolException(ErrorCode.INVALID_PAYLOAD, message, event, clientMsgId);
        }

        long requiredId(String name) {
            return requiredId(name, null);
        }

        long requiredId(String name, String clientMsgId) {
            Long id = id(name, clientMsgId);
            if (id == null) {
                throw invalid(name + " is required", clientMsgId);
            }
            return id;
        }

        Long optionalId(String name) {
            return id(name, null);
        }

        /** {@link #optionalId}, or null when the value is there but not an id. */
        Long idIfValid(String name) {
            try {
                return id(name, null);
            } catch (ProtocolException notAnId) {
                return null;
            }
        }

        /** A positive integer, given as a JSON number or (as some JavaScript clients do) a string of digits. */
        private Long id(String name, String clientMsgId) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            long id = -1;
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                id = value.longValue();
            } else if (value.isString()) {
                id = DigitStrings.positiveId(value.stringValue());
            }
            if (id <= 0) {
                throw invalid(name + " must be a positive integer", clientMsgId);
            }
            return id;
        }

        long requiredSeq(String name) {
            JsonNode value = node.get(name);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw invalid(name + " must be a non-negative integer", null);
            }
            return value.longValue();
        }

        /** A string, perhaps blank, of at most {@code maxLength} characters. */
        String requiredText(String name, int maxLength) {
            JsonNode value = node.get(name);
            if (value == null || !value.isString()) {
                throw invalid(name + " is required", null);
            }
            if (value.stringValue().length() > maxLength) {
                throw invalid(name + " is too long", null);
            }
            return value.stringValue();
        }

        String optionalString(String name, String clientMsgId) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isString()) {
                throw invalid(name + " must be a string", clientMsgId);
            }
            return value.stringValue();
        }

        /**
         * {@code file_id}: a string; an integer is taken as its digits (the seed passed its clients' data through
         * untouched, and an ERP's file ids are often numbers).
         */
        String fileId(String clientMsgId) {
            JsonNode value = node.get("file_id");
            if (value != null && value.isIntegralNumber()) {
                return value.bigIntegerValue().toString();
            }
            return optionalString("file_id", clientMsgId);
        }

        boolean optionalBoolean(String name, boolean defaultValue) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                return defaultValue;
            }
            if (!value.isBoolean()) {
                throw invalid(name + " must be true or false", null);
            }
            return value.booleanValue();
        }

        String messageType(String clientMsgId) {
            String type = optionalString("type", clientMsgId);
            if (type == null) {
                return "text";
            }
            if (!MESSAGE_TYPES.contains(type)) {
                throw invalid("type must be one of text, file, image", clientMsgId);
            }
            return type;
        }

        /** The client's idempotency key, or null when it sent none. */
        String givenClientMsgId() {
            JsonNode value = node.get("client_msg_id");
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isString() || !SendRules.isValidClientMsgId(value.stringValue())) {
                throw invalid(SendRules.CLIENT_MSG_ID_RULE, null);
            }
            return value.stringValue();
        }
    }
}
