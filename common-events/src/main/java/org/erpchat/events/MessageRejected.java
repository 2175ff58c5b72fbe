package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.notBlank;
import static org.erpchat.events.Require.positive;
import static org.erpchat.events.Require.present;

import java.time.Instant;

/**
 * An asynchronous send ({@link SendMessageCommand}) was refused. Routed to the sender only; {@code detail} is a
 * human-readable explanation that never reveals anything about conversations the sender is not part of.
 * {@code retryAfterMillis} is set for {@link RejectReason#RATE_LIMITED}.
 */
public record MessageRejected(
        long senderId,
        String clientMsgId,
        Long receiverId,
        Long groupId,
        RejectReason reason,
        String detail,
        Long retryAfterMillis,
        SendOrigin origin,
        Instant rejectedAt)
        implements ChatEvent {

    public MessageRejected {
        positive(senderId, "senderId");
        notBlank(clientMsgId, "clientMsgId");
        present(reason, "reason");
        present(detail, "detail");
        present(origin, "origin");
        instant(rejectedAt, "rejectedAt");
    }

    @Override
    public String partitionKey() {
        return Long.toString(senderId);
    }
}
