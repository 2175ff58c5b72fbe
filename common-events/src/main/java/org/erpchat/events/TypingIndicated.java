package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.positive;
import static org.erpchat.events.Require.present;
import static org.erpchat.events.Require.userIds;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A user started ({@code typing = true}) or stopped typing in a conversation. Published by the gateway after it
 * checked that the user takes part in the conversation; {@code recipientIds} are the other participants.
 */
public record TypingIndicated(
        long conversationId,
        ConversationKind conversationKind,
        long userId,
        List<Long> recipientIds,
        @JsonProperty(required = true) boolean typing,
        Instant at)
        implements ChatEvent {

    public TypingIndicated {
        positive(conversationId, "conversationId");
        present(conversationKind, "conversationKind");
        positive(userId, "userId");
        recipientIds = userIds(recipientIds, "recipientIds");
        instant(at, "at");
    }

    @Override
    public String partitionKey() {
        return Long.toString(userId);
    }
}
