package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.notBlank;
import static org.erpchat.events.Require.positive;
import static org.erpchat.events.Require.present;
import static org.erpchat.events.Require.userIds;

import java.time.Instant;
import java.util.List;

/**
 * A message was stored. Carries everything a gateway needs to route it without a lookup: {@code recipientIds} lists
 * every participant of the conversation at send time, the sender included.
 *
 * <p>Delivery is at least once: the same message (same {@code messageId} and {@code seq}) may arrive more than once,
 * for instance when a client retries a send that had already succeeded. Consumers deduplicate by
 * ({@code conversationId}, {@code seq}). {@code origin} is set for sends that came through a gateway and names the
 * session that must receive the acknowledgement.
 */
public record MessageCreated(
        String messageId,
        long conversationId,
        ConversationKind conversationKind,
        long seq,
        long senderId,
        List<Long> recipientIds,
        MessageType type,
        String content,
        String fileId,
        String clientMsgId,
        Instant createdAt,
        SendOrigin origin)
        implements ChatEvent {

    public MessageCreated {
        notBlank(messageId, "messageId");
        positive(conversationId, "conversationId");
        present(conversationKind, "conversationKind");
        positive(seq, "seq");
        positive(senderId, "senderId");
        recipientIds = userIds(recipientIds, "recipientIds");
        present(type, "type");
        present(content, "content");
        notBlank(clientMsgId, "clientMsgId");
        instant(createdAt, "createdAt");
    }

    @Override
    public String partitionKey() {
        return Long.toString(conversationId);
    }
}
