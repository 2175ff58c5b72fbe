package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.notBlank;
import static org.erpchat.events.Require.positive;
import static org.erpchat.events.Require.positiveOrNull;
import static org.erpchat.events.Require.present;

import java.time.Instant;

/**
 * A client-originated send, published by a gateway on behalf of an authenticated user. Exactly one of
 * {@code receiverId} (private message) and {@code groupId} (group message) is set. The sender id comes from the
 * gateway's authenticated session, never from the client's frame. message-service validates it exactly like a REST
 * send and answers with {@link MessageCreated} or {@link MessageRejected}, both carrying {@link #origin()}.
 *
 * <p>Business validation (content length, type, membership) is message-service's job, so that the rejection reaches
 * the client as a {@link MessageRejected}; this record only refuses what cannot be a send at all.
 */
public record SendMessageCommand(
        long senderId,
        Long receiverId,
        Long groupId,
        MessageType type,
        String content,
        String fileId,
        String clientMsgId,
        SendOrigin origin,
        Instant issuedAt)
        implements ChatEvent {

    public SendMessageCommand {
        positive(senderId, "senderId");
        positiveOrNull(receiverId, "receiverId");
        positiveOrNull(groupId, "groupId");
        if ((receiverId == null) == (groupId == null)) {
            throw new IllegalArgumentException("exactly one of receiverId and groupId is required");
        }
        notBlank(clientMsgId, "clientMsgId");
        present(origin, "origin");
        instant(issuedAt, "issuedAt");
    }

    @Override
    public String partitionKey() {
        return Long.toString(senderId);
    }
}
