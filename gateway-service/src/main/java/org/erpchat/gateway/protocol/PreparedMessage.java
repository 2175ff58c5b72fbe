package org.erpchat.gateway.protocol;

/**
 * A message with its frames serialized and encoded at most once, however many sessions it is delivered to: a group message to
 * 500 members is turned into JSON once, not 500 times.
 */
public final class PreparedMessage {

    private final WireMessage message;
    private volatile TextFrame deliveryFrame;
    private volatile TextFrame ackFrame;

    public PreparedMessage(WireMessage message) {
        this.message = message;
    }

    public WireMessage message() {
        return message;
    }

    public long conversationId() {
        return message.conversationId();
    }

    public long seq() {
        return message.seq();
    }

    /** {@code private_message} or {@code group_message}. */
    public TextFrame deliveryFrame() {
        TextFrame frame = deliveryFrame;
        if (frame == null) {
            frame = TextFrame.of(ServerEvents.frame(message.deliveryEvent(), message));
            deliveryFrame = frame;
        }
        return frame;
    }

    /** {@code message_sent}: the acknowledgement to the session that sent it. */
    public TextFrame ackFrame() {
        TextFrame frame = ackFrame;
        if (frame == null) {
            frame = TextFrame.of(ServerEvents.frame("message_sent", message));
            ackFrame = frame;
        }
        return frame;
    }
}
