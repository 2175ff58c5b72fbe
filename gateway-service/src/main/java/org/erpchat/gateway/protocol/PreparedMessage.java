package org.erpchat.gateway.protocol;

/**
 * A message with its frames serialized and encoded at most once, however many sessions it is delivered to: a group
 * message to 500 members is turned into JSON once, not 500 times. The message's JSON is written once and each frame
 * (delivery, acknowledgement) wraps those same bytes; a replayed message arrives as JSON already
 * ({@link StoredMessage}) and is not serialized at all.
 */
public final class PreparedMessage {

    private final long conversationId;
    private final long seq;
    private final boolean group;
    /** Serialized on first need; null when the JSON came with the message. */
    private final WireMessage message;

    private volatile byte[] json;
    private volatile TextFrame deliveryFrame;
    private volatile TextFrame ackFrame;

    public PreparedMessage(WireMessage message) {
        this.conversationId = message.conversationId();
        this.seq = message.seq();
        this.group = message.isGroup();
        this.message = message;
    }

    private PreparedMessage(StoredMessage stored) {
        this.conversationId = stored.conversationId();
        this.seq = stored.seq();
        this.group = stored.group();
        this.message = null;
        this.json = stored.json();
    }

    /** A message read from message-service, framed from the JSON it came as. */
    public static PreparedMessage stored(StoredMessage stored) {
        return new PreparedMessage(stored);
    }

    public long conversationId() {
        return conversationId;
    }

    public long seq() {
        return seq;
    }

    /** {@code private_message} or {@code group_message}. */
    public TextFrame deliveryFrame() {
        TextFrame frame = deliveryFrame;
        if (frame == null) {
            frame = TextFrame.envelope(group ? "group_message" : "private_message", json());
            deliveryFrame = frame;
        }
        return frame;
    }

    /** {@code message_sent}: the acknowledgement to the session that sent it. */
    public TextFrame ackFrame() {
        TextFrame frame = ackFrame;
        if (frame == null) {
            frame = TextFrame.envelope("message_sent", json());
            ackFrame = frame;
        }
        return frame;
    }

    private byte[] json() {
        byte[] bytes = json;
        if (bytes == null) {
            bytes = WireJson.MAPPER.writeValueAsBytes(message);
            json = bytes;
        }
        return bytes;
    }
}
