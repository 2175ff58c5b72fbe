package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.notBlank;
import static org.erpchat.events.Require.positive;

import java.time.Instant;

/** A WebSocket session ended, for whatever reason (client close, keepalive timeout, backpressure, shutdown). */
public record ConnectionClosed(String gatewayId, String sessionId, long userId, Instant closedAt) implements ChatEvent {

    public ConnectionClosed {
        notBlank(gatewayId, "gatewayId");
        notBlank(sessionId, "sessionId");
        positive(userId, "userId");
        instant(closedAt, "closedAt");
    }

    @Override
    public String partitionKey() {
        return Long.toString(userId);
    }
}
