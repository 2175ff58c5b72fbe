package org.erpchat.gateway.protocol;

/**
 * A message with its frames serialized and encoded at most once, however many sessions it is delivered to: a group
 * message to 500 members is turned into JSON once, not 500 times. The message's JSON is written once and each frame
 * (delivery, acknowledgement) wraps those same bytes; a replayed message arrives as JSON already
 * ({@link StoredMessage}) and is not serialized at all.
 */
public final class PreparedMessage {

    /** From this many sessions on, a delivery frame is worth allocating off the heap. */
    static final int MANY_RECIPIENTS = 8;

    private final long conversationId;
    private final long seq;
    private final boolean group;
    /** Boxed once for every session's position map: a 1,000-member group's message would box them 1,000 times. */
    private final Long conversationKey;

    private final Long seqValue;
    /** With {@link #clientMsgId}: tells a session's own send when a replay brings it. */
    private final long senderId;

    private final String clientMsgId;
    /** Serialized on first need; null when the JSON came with the message. */
    private final WireMessage message;

    /** Its delivery frame goes to many sockets: kept off the heap ({@link TextFrame#envelope(String, byte[], boolean)}). */
    private final boolean manyRecipients;

    private volatile byte[] json;
    private volatile TextFrame deliveryFrame;
    private volatile TextFrame ackFrame;

    public PreparedMessage(WireMessage message) {
        this(message, 1);
    }

    /** A live message on its way to {@code sessions} sessions. */
    public PreparedMessage(WireMessage message, int sessions) {
        this.conversationId = message.conversationId();
        this.seq = message.seq();
        this.conversationKey = conversationId;
        this.seqValue = seq;
        this.senderId = message.senderId();
        this.clientMsgId = message.clientMsgId();
        this.group = message.isGroup();
        this.message = message;
        this.manyRecipients = sessions >= MANY_RECIPIENTS;
    }

    private PreparedMessage(StoredMessage stored) {
        this.conversationId = stored.conversationId();
        this.seq = stored.seq();
        this.conversationKey = conversationId;
        this.seqValue = seq;
        this.senderId = stored.senderId();
        this.clientMsgId = stored.clientMsgId();
        this.group = stored.group();
        this.message = null;
        this.manyRecipients = false;
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

    /** The conversation's id as a map key. */
    public Long conversationKey() {
        return conversationKey;
    }

    /** {@link #seq()} as a map value. */
    public Long seqValue() {
        return seqValue;
    }

    public long senderId() {
        return senderId;
    }

    /** The sender's {@code client_msg_id}; null when the message has none. */
    public String clientMsgId() {
        return clientMsgId;
    }

    /** {@code private_message} or {@code group_message}. */
    public TextFrame deliveryFrame() {
        TextFrame frame = deliveryFrame;
        if (frame == null) {
            frame = TextFrame.envelope(group ? "group_message" : "private_message", json(), manyRecipients);
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
