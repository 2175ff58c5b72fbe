package org.erpchat.message.inbox;

import java.util.List;
import org.erpchat.events.ConversationKind;
import org.erpchat.message.message.MessageView;

/**
 * A conversation as the caller sees it. {@code groupId} is set for groups, {@code peerId} for private conversations;
 * {@code name} is the group's name or the peer's display name. {@code unreadCount} is {@code lastSeq - readSeq}: every
 * message after the caller's read marker, system messages included; the caller's own sends move its marker, so they
 * never count.
 */
record ConversationView(
        long id,
        ConversationKind type,
        Long groupId,
        String name,
        Long peerId,
        List<Long> memberIds,
        MessageView lastMessage,
        long lastSeq,
        long readSeq,
        long unreadCount) {}
