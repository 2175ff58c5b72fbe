package org.erpchat.gateway.protocol;

/** A client frame broke the protocol. Becomes an {@code error} event; the connection stays open. */
public class ProtocolException extends RuntimeException {

    private final ErrorCode code;
    private final String event;
    private final String clientMsgId;

    public ProtocolException(ErrorCode code, String message, String event, String clientMsgId) {
        super(message, null, false, false);
        this.code = code;
        this.event = event;
        this.clientMsgId = clientMsgId;
    }

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public ErrorCode code() {
        return code;
    }

    /** The event the frame named, when it named one. */
    public String event() {
        return event;
    }

    /** The frame's {@code client_msg_id}, when it had one, so the client can tell which send failed. */
    public String clientMsgId() {
        return clientMsgId;
    }
}
