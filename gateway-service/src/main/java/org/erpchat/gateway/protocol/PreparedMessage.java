package org.erpchat.gateway.protocol;

/**
 * A message with its frames serialized at most once, however many sessions it is delivered to: a group message to
 * 500 members is turned into JSON once, not 500 times.
 */
public final class PreparedMessage {

    private final WireMessage message;
    private volatile String deliveryFrame;
    private volatile String ackFrame;

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
    public String deliveryFrame() {
        String frame = deliveryFrame;
        if (frame == null) {
            frame = ServerEvents.frame(message.deliveryEvent(), message);
            deliveryFrame = frame;
        }
        return frame;
    }

    /** {@code message_sent}: the acknowledgement to the session that sent it. */
    public String ackFrame() {
        String frame = ackFrame;
        if (frame == null) {
            frame = ServerEvents.frame("message_sent", message);
            ackFrame = frame;
        }
        return frame;
    }
}
