package org.erpchat.message.message;

import java.time.Instant;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.MessageType;

/**
 * A message as REST responses and sync pages show it (snake_case on the wire, see docs/architecture.md).
 * {@code receiverId} is set for private messages (the participant who is not the sender), {@code groupId} for group
 * messages.
 */
public record MessageView(
        String id,
        long conversationId,
        ConversationKind conversationType,
        long seq,
        long senderId,
        Long receiverId,
        Long groupId,
        String content,
        MessageType type,
        String fileId,
        String clientMsgId,
        Instant createdAt) {}
