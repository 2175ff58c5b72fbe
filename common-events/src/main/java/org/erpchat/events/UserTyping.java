package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.positive;
import static org.erpchat.events.Require.present;
import static org.erpchat.events.Require.userIds;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * Typing state of a user in a conversation changed: started, stopped explicitly, or expired after its TTL. Emitted by
 * presence-service; gateways deliver it as {@code user_typing} to {@code recipientIds}.
 */
public record UserTyping(
        long conversationId,
        ConversationKind conversationKind,
        long userId,
        List<Long> recipientIds,
        @JsonProperty(required = true) boolean typing,
        Instant at)
        implements ChatEvent {

    public UserTyping {
        positive(conversationId, "conversationId");
        present(conversationKind, "conversationKind");
        positive(userId, "userId");
        recipientIds = userIds(recipientIds, "recipientIds");
        instant(at, "at");
    }

    @Override
    public String partitionKey() {
        return Long.toString(conversationId);
    }
}
