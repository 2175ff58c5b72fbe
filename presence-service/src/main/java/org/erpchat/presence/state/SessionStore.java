package org.erpchat.presence.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.erpchat.events.ConnectionClosed;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.GatewayHeartbeat;
import org.erpchat.events.SessionRef;
import org.springframework.stereotype.Service;

/** Per-connection presence: applies the gateways' connection events to Redis, one atomic script per event. */
@Service
public class SessionStore {

    private final PresenceScripts scripts;

    SessionStore(PresenceScripts scripts) {
        this.scripts = scripts;
    }

    public SessionOutcome open(ConnectionOpened event) {
        long result =
                scripts.run(scripts.open, List.of(Long.toString(event.userId()), event.sessionId(), event.gatewayId()));
        if (result == 1) {
            return SessionOutcome.WENT_ONLINE;
        }
        return result == -1 ? SessionOutcome.IGNORED : SessionOutcome.UNCHANGED;
    }

    public SessionOutcome close(ConnectionClosed event) {
        long result = scripts.run(scripts.close, List.of(Long.toString(event.userId()), event.sessionId()));
        if (result == 1) {
            return SessionOutcome.WENT_OFFLINE;
        }
        return result == 2 ? SessionOutcome.OFFLINE_PENDING : SessionOutcome.UNCHANGED;
    }

    public HeartbeatOutcome heartbeat(GatewayHeartbeat event) {
        List<String> args = new ArrayList<>(2 + 2 * event.sessions().size());
        args.add(event.gatewayId());
        args.add(Long.toString(epochMillis(event.sentAt())));
        for (SessionRef session : event.sessions()) {
            args.add(Long.toString(session.userId()));
            args.add(session.sessionId());
        }
        List<?> result = scripts.run(scripts.heartbeat, args);
        long refreshed = number(result, 0);
        if (refreshed < 0) {
            return new HeartbeatOutcome(true, 0, 0, 0, 0);
        }
        return new HeartbeatOutcome(
                false, (int) refreshed, (int) number(result, 1), (int) number(result, 2), (int) number(result, 3));
    }

    static long number(List<?> result, int index) {
        return ((Number) result.get(index)).longValue();
    }

    private static long epochMillis(Instant instant) {
        return instant.toEpochMilli();
    }
}
