package org.erpchat.message.message;

import java.time.Instant;
import org.erpchat.events.MessageType;
import org.erpchat.events.SendOrigin;

/**
 * A send, from REST or from a Kafka command: the one shape both are validated and stored in. Exactly one of
 * {@code receiverId} (private) and {@code groupId} (group) must be set. {@code senderId} always comes from an
 * authenticated principal. {@code origin} is set for commands only: it names the WebSocket session to acknowledge.
 * {@code issuedAt}, for commands, is when the gateway accepted the send: the rate limit judges it at that time (REST
 * sends have none and are judged now).
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
        Instant issuedAt) {

    /** A send judged at the time it is processed (REST). */
    public SendRequest(
            long senderId,
            Long receiverId,
            Long groupId,
            MessageType type,
            String content,
            String fileId,
            String clientMsgId,
            SendOrigin origin) {
        this(senderId, receiverId, groupId, type, content, fileId, clientMsgId, origin, null);
    }

    boolean isPrivate() {
        return receiverId != null;
    }

    SendRequest normalized(MessageType type, String content, String clientMsgId) {
        return new SendRequest(senderId, receiverId, groupId, type, content, fileId, clientMsgId, origin, issuedAt);
    }
}
