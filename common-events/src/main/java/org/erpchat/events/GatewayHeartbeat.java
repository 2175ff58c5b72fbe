package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.notBlank;
import static org.erpchat.events.Require.present;

import java.time.Instant;
import java.util.List;

/**
 * A gateway is alive and holds these sessions. A gateway lists all its live sessions every heartbeat period, split
 * into {@code partCount} records of bounded size ({@code part} counts from 0), so that presence can expire the
 * sessions of a gateway that stopped heartbeating and rebuild its state after losing it.
 */
public record GatewayHeartbeat(String gatewayId, Instant sentAt, int part, int partCount, List<SessionRef> sessions)
        implements ChatEvent {

    public GatewayHeartbeat {
        notBlank(gatewayId, "gatewayId");
        instant(sentAt, "sentAt");
        if (partCount < 1 || part < 0 || part >= partCount) {
            throw new IllegalArgumentException("part " + part + " of " + partCount + " is not a valid part");
        }
        sessions = List.copyOf(present(sessions, "sessions"));
    }

    @Override
    public String partitionKey() {
        return gatewayId;
    }
}
