package org.erpchat.message.message;

import java.time.Instant;
import org.erpchat.events.MessageType;
import org.erpchat.events.SendOrigin;

/**
 * A send, from REST or from a Kafka command: the one shape both are validated and stored in. Exactly one of
 * {@code receiverId} (private) and {@code groupId} (group) must be set. {@code senderId} always comes from an
 * authenticated principal. {@code origin} is set for commands only: it names the WebSocket session to acknowledge.
 * {@code issuedAt}, for commands, is when the gateway accepted the send: the rate limit judges it at that time (REST
 * sends have none and are judged now). {@code typeName}, for REST sends, is the {@code type} as the client wrote it:
 * validation reads it into {@code type} (a name it does not know is refused there, after which a repeat of a stored
 * send is still answered with the original, as for any other invalid field).
 */
public record SendRequest(
        long senderId,
        Long receiverId,
        Long groupId,
        MessageType type,
        String content,
        String fileId,
        String clientMsgId,
        SendOrigin origin,
        Instant issuedAt,
        String typeName) {

    /** A send whose type, if any, is already a {@link MessageType} (commands). */
    public SendRequest(
            long senderId,
            Long receiverId,
            Long groupId,
            MessageType type,
            String content,
            String fileId,
            String clientMsgId,
            SendOrigin origin,
            Instant issuedAt) {
        this(senderId, receiverId, groupId, type, content, fileId, clientMsgId, origin, issuedAt, null);
    }

    /** A send judged at the time it is processed. */
    public SendRequest(
            long senderId,
            Long receiverId,
            Long groupId,
            MessageType type,
            String content,
            String fileId,
            String clientMsgId,
            SendOrigin origin) {
        this(senderId, receiverId, groupId, type, content, fileId, clientMsgId, origin, null, null);
    }

    /** A REST send: its {@code type} as the client named it (null when absent), for validation to read. */
    static SendRequest fromRest(
            long senderId,
            Long receiverId,
            Long groupId,
            String typeName,
            String content,
            String fileId,
            String clientMsgId) {
        return new SendRequest(senderId, receiverId, groupId, null, content, fileId, clientMsgId, null, null, typeName);
    }

    boolean isPrivate() {
        return receiverId != null;
    }

    /** This send with these values; its {@code typeName}, if any, is kept for validation to read. */
    SendRequest normalized(MessageType type, String content, String clientMsgId) {
        return new SendRequest(
                senderId, receiverId, groupId, type, content, fileId, clientMsgId, origin, issuedAt, typeName);
    }

    /** The validated send: its type read, {@code typeName} done with. */
    SendRequest validated(MessageType type, String content, String clientMsgId) {
        return new SendRequest(
                senderId, receiverId, groupId, type, content, fileId, clientMsgId, origin, issuedAt, null);
    }
}
