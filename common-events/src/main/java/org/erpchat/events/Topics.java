package org.erpchat.events;

/**
 * Kafka topic names. Each topic carries the events listed here, keyed as described so that Kafka keeps the order
 * that matters for each consumer.
 */
public final class Topics {

    /** {@link SendMessageCommand}: gateway to message-service, keyed by sender id (a user's sends stay in order). */
    public static final String MESSAGE_COMMANDS = "chat.message-commands";

    /**
     * {@link MessageCreated}, {@link GroupMembershipChanged} and {@link ConversationRead}, keyed by conversation id (per
     * conversation order); {@link MessageRejected}, keyed by sender id. Produced by message-service's outbox.
     */
    public static final String MESSAGE_EVENTS = "chat.message-events";

    /**
     * {@link ConnectionOpened}, {@link ConnectionClosed} and {@link TypingIndicated}, keyed by user id;
     * {@link GatewayHeartbeat}, keyed by gateway id. Gateway to presence-service.
     */
    public static final String CONNECTION_EVENTS = "chat.connection-events";

    /** {@link PresenceChanged}, keyed by user id; {@link UserTyping}, keyed by conversation id. */
    public static final String PRESENCE_EVENTS = "chat.presence-events";

    /** Suffix of the dead-letter topic that receives the records a consumer of a topic could not read. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    private Topics() {}

    public static String deadLetter(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
