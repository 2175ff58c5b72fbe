package org.erpchat.events;

import static org.erpchat.events.Require.atMost;
import static org.erpchat.events.Require.notBlank;

/**
 * The WebSocket session a client-originated send came from, so that the gateway holding it can answer with
 * {@code message_sent} or {@code message_error}.
 */
public record SendOrigin(String gatewayId, String sessionId) {
    public SendOrigin {
        notBlank(gatewayId, "gatewayId");
        notBlank(sessionId, "sessionId");
        atMost(gatewayId, EventLimits.MAX_ORIGIN_ID_LENGTH, "gatewayId");
        atMost(sessionId, EventLimits.MAX_ORIGIN_ID_LENGTH, "sessionId");
    }
}
