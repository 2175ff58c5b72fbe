package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.positive;
import static org.erpchat.events.Require.present;
import static org.erpchat.events.Require.userIds;

import java.time.Instant;
import java.util.List;

/**
 * A user's read marker in a conversation moved forward to {@code readSeq}. {@code notifyUserIds} are the users whose
 * sessions should hear of it: the reader (to sync unread counts across devices) and, in a private conversation, the
 * other participant (read receipts).
 */
public record ConversationRead(
        long conversationId,
        ConversationKind conversationKind,
        long userId,
        long readSeq,
        List<Long> notifyUserIds,
        Instant readAt)
        implements ChatEvent {

    public ConversationRead {
        positive(conversationId, "conversationId");
        present(conversationKind, "conversationKind");
        positive(userId, "userId");
        if (readSeq < 0) {
            throw new IllegalArgumentException("readSeq must not be negative, was " + readSeq);
        }
        notifyUserIds = userIds(notifyUserIds, "notifyUserIds");
        instant(readAt, "readAt");
    }

    @Override
    public String partitionKey() {
        return Long.toString(conversationId);
    }
}
