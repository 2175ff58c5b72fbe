package org.erpchat.message.message;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.MessageType;

/**
 * A message as REST responses and sync pages show it (snake_case on the wire, see docs/architecture.md).
 * {@code receiverId} is set for private messages (the participant who is not the sender), {@code groupId} for group
 * messages.
 */
@Schema(name = "Message", description = "A stored message; every field is always present.")
public record MessageView(
        @Schema(requiredMode = REQUIRED, format = "uuid") String id,
        @Schema(requiredMode = REQUIRED) long conversationId,
        @Schema(requiredMode = REQUIRED) ConversationKind conversationType,

        @Schema(requiredMode = REQUIRED, description = "the message's place in its conversation, from 1")
        long seq,

        @Schema(requiredMode = REQUIRED, description = "for a `system` message, the member who acted")
        long senderId,

        @Schema(
                requiredMode = REQUIRED,
                nullable = true,
                description = "private messages: the participant who is not the sender; null for group messages")
        Long receiverId,

        @Schema(requiredMode = REQUIRED, nullable = true, description = "group messages: the group; else null")
        Long groupId,

        @Schema(requiredMode = REQUIRED, description = "empty for a file or image sent without text")
        String content,

        @Schema(requiredMode = REQUIRED) MessageType type,

        @Schema(requiredMode = REQUIRED, nullable = true, description = "set for file and image messages")
        String fileId,

        @Schema(
                requiredMode = REQUIRED,
                description = "the sender's id for the send, or a server-generated one when it gave none")
        String clientMsgId,

        @Schema(requiredMode = REQUIRED) Instant createdAt) {}
