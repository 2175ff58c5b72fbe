package org.erpchat.events;

/**
 * Every record that travels between services over Kafka. On the wire each one is a JSON object with two leading
 * fields, {@code eventType} and {@code schemaVersion}, followed by the record's own fields (see {@link EventCodec}).
 * Java class names never appear on the wire.
 */
public sealed interface ChatEvent
        permits SendMessageCommand,
                MessageCreated,
                MessageRejected,
                GroupMembershipChanged,
                ConversationRead,
                ConnectionOpened,
                ConnectionClosed,
                GatewayHeartbeat,
                TypingIndicated,
                PresenceChanged,
                UserTyping {

    /** The Kafka record key: events with the same key keep their relative order. */
    String partitionKey();

    default EventType eventType() {
        return EventType.of(this);
    }
}
