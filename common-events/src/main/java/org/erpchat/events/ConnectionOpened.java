package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.notBlank;
import static org.erpchat.events.Require.positive;

import java.time.Instant;

/** A WebSocket session was authenticated on a gateway. Session ids are unique across gateways and time. */
public record ConnectionOpened(String gatewayId, String sessionId, long userId, Instant openedAt) implements ChatEvent {

    public ConnectionOpened {
        notBlank(gatewayId, "gatewayId");
        notBlank(sessionId, "sessionId");
        positive(userId, "userId");
        instant(openedAt, "openedAt");
    }

    @Override
    public String partitionKey() {
        return Long.toString(userId);
    }
}
