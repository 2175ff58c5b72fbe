package org.erpchat.gateway.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Locale;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.MessageCreated;

/**
 * A message as clients see it: the same shape in {@code private_message}, {@code group_message}, {@code message_sent},
 * replayed messages, and message-service's REST answers. {@code receiver_id} is set for private messages (the
 * participant who is not the sender), {@code group_id} for group messages; both are always present, one of them null.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WireMessage(
        String id,
        long conversationId,
        String conversationType,
        long seq,
        long senderId,
        Long receiverId,
        Long groupId,
        String content,
        String type,
        String fileId,
        String clientMsgId,
        Instant createdAt) {

    public static WireMessage from(MessageCreated event) {
        boolean group = event.conversationKind() == ConversationKind.GROUP;
        Long receiverId = group
                ? null
                : event.recipientIds().stream()
                        .filter(id -> id != event.senderId())
                        .findFirst()
                        .orElse(event.senderId());
        return new WireMessage(
                event.messageId(),
                event.conversationId(),
                group ? "group" : "private",
                event.seq(),
                event.senderId(),
                receiverId,
                group ? event.conversationId() : null,
                event.content(),
                event.type().name().toLowerCase(Locale.ROOT),
                event.fileId(),
                event.clientMsgId(),
                event.createdAt());
    }

    @JsonIgnore
    public boolean isGroup() {
        return "group".equals(conversationType);
    }

    /** {@code private_message} or {@code group_message}: the event a recipient receives this message as. */
    @JsonIgnore
    public String deliveryEvent() {
        return isGroup() ? "group_message" : "private_message";
    }
}
