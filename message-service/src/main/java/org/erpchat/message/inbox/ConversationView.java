package org.erpchat.message.inbox;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.erpchat.events.ConversationKind;
import org.erpchat.message.message.MessageView;

/**
 * A conversation as the caller sees it. {@code groupId} is set for groups, {@code peerId} for private conversations;
 * {@code name} is the group's name or the peer's display name. {@code unreadCount} is {@code lastSeq - readSeq}: every
 * message after the caller's read marker, system messages included; the caller's own sends move its marker, so they
 * never count.
 */
@Schema(name = "Conversation", description = "A conversation as the caller sees it; every field is always present.")
record ConversationView(
        @Schema(requiredMode = REQUIRED) long id,
        @Schema(requiredMode = REQUIRED) ConversationKind type,

        @Schema(
                requiredMode = REQUIRED,
                nullable = true,
                description = "groups: the group's id (the conversation's); else null")
        Long groupId,

        @Schema(
                requiredMode = REQUIRED,
                description = "the group's name, or the peer's display name (`User <id>` without one)")
        String name,

        @Schema(
                requiredMode = REQUIRED,
                nullable = true,
                description = "private conversations: the other participant; else null")
        Long peerId,

        @Schema(requiredMode = REQUIRED) List<Long> memberIds,

        @Schema(requiredMode = REQUIRED, nullable = true, description = "null while the conversation holds no message")
        MessageView lastMessage,

        @Schema(requiredMode = REQUIRED) long lastSeq,
        @Schema(requiredMode = REQUIRED) long readSeq,
        @Schema(requiredMode = REQUIRED) long unreadCount) {}
