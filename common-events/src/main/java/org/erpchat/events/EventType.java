package org.erpchat.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of event types: the name written to the wire, the current schema version, the record class and the
 * topic it travels on. Adding an event means adding a constant here and a contract test that pins its JSON.
 *
 * <p>Versioning rule: adding an optional field keeps the version (readers ignore unknown fields); removing or renaming a
 * field, or changing its meaning, bumps it. A reader rejects a version newer than it knows.
 */
public enum EventType {
    SEND_MESSAGE_COMMAND("SendMessageCommand", 1, SendMessageCommand.class, Topics.MESSAGE_COMMANDS),
    MESSAGE_CREATED("MessageCreated", 1, MessageCreated.class, Topics.MESSAGE_EVENTS),
    MESSAGE_REJECTED("MessageRejected", 1, MessageRejected.class, Topics.MESSAGE_EVENTS),
    GROUP_MEMBERSHIP_CHANGED("GroupMembershipChanged", 1, GroupMembershipChanged.class, Topics.MESSAGE_EVENTS),
    CONVERSATION_READ("ConversationRead", 1, ConversationRead.class, Topics.MESSAGE_EVENTS),
    CONNECTION_OPENED("ConnectionOpened", 1, ConnectionOpened.class, Topics.CONNECTION_EVENTS),
    CONNECTION_CLOSED("ConnectionClosed", 1, ConnectionClosed.class, Topics.CONNECTION_EVENTS),
    GATEWAY_HEARTBEAT("GatewayHeartbeat", 1, GatewayHeartbeat.class, Topics.CONNECTION_EVENTS),
    TYPING_INDICATED("TypingIndicated", 1, TypingIndicated.class, Topics.CONNECTION_EVENTS),
    PRESENCE_CHANGED("PresenceChanged", 1, PresenceChanged.class, Topics.PRESENCE_EVENTS),
    USER_TYPING("UserTyping", 1, UserTyping.class, Topics.PRESENCE_EVENTS);

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::recordClass, Function.identity()));

    private final String wireName;
    private final int schemaVersion;
    private final Class<? extends ChatEvent> recordClass;
    private final String topic;

    EventType(String wireName, int schemaVersion, Class<? extends ChatEvent> recordClass, String topic) {
        this.wireName = wireName;
        this.schemaVersion = schemaVersion;
        this.recordClass = recordClass;
        this.topic = topic;
    }

    public String wireName() {
        return wireName;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public Class<? extends ChatEvent> recordClass() {
        return recordClass;
    }

    public String topic() {
        return topic;
    }

    public static Optional<EventType> fromWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }

    static EventType of(ChatEvent event) {
        return BY_CLASS.get(event.getClass());
    }
}
