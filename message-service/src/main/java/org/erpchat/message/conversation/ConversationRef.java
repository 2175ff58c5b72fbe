package org.erpchat.message.conversation;

import java.time.Instant;
import org.erpchat.events.ConversationKind;

/**
 * A conversation's row. For a private conversation {@code userLow < userHigh} are its two participants; for a group
 * {@code name} and {@code ownerId} are set. {@code membersVersion} changes with every change to a group's membership
 * ({@link GroupMembers}); it is 0 where it was not read.
 */
public record ConversationRef(
        long id,
        ConversationKind kind,
        String name,
        Long ownerId,
        Long userLow,
        Long userHigh,
        long lastSeq,
        Instant createdAt,
        long membersVersion) {

    public boolean isGroup() {
        return kind == ConversationKind.GROUP;
    }

    /** In a private conversation, the participant who is not {@code userId}. */
    public Long peerOf(long userId) {
        if (isGroup()) {
            return null;
        }
        return userLow == userId ? userHigh : userLow;
    }
}
