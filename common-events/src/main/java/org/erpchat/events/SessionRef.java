package org.erpchat.events;

import static org.erpchat.events.Require.notBlank;
import static org.erpchat.events.Require.positive;

/** One live WebSocket session on a gateway, as listed in a {@link GatewayHeartbeat}. */
public record SessionRef(String sessionId, long userId) {
    public SessionRef {
        notBlank(sessionId, "sessionId");
        positive(userId, "userId");
    }
}
