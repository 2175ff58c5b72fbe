package org.erpchat.presence.connection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.ConnectionClosed;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.GatewayHeartbeat;
import org.erpchat.events.SessionRef;
import org.erpchat.presence.state.PresenceScripts;
import org.springframework.stereotype.Service;

/**
 * Per-connection presence: applies the gateways' connection events to Redis, one atomic script per event. A run of
 * opens and closes read in one poll goes to Redis in one pipelined round trip ({@link #apply}): a gateway restart
 * brings thousands of them within seconds, and one round trip each was most of what the listener thread did.
 */
@Service
class SessionStore {

    private final PresenceScripts scripts;

    SessionStore(PresenceScripts scripts) {
        this.scripts = scripts;
    }

    public SessionOutcome open(ConnectionOpened event) {
        return opened(scripts.run(scripts.open, openArgs(event)));
    }

    public SessionOutcome close(ConnectionClosed event) {
        return closed(scripts.run(scripts.close, closeArgs(event)));
    }

    /**
     * Applies opens and closes in their order, in one round trip to Redis; the outcomes come in the same order.
     *
     * @param events only {@link ConnectionOpened} and {@link ConnectionClosed}
     */
    public List<SessionOutcome> apply(List<? extends ChatEvent> events) {
        List<PresenceScripts.Call> calls = new ArrayList<>(events.size());
        for (ChatEvent event : events) {
            if (event instanceof ConnectionOpened opened) {
                calls.add(new PresenceScripts.Call(scripts.open, openArgs(opened)));
            } else if (event instanceof ConnectionClosed closed) {
                calls.add(new PresenceScripts.Call(scripts.close, closeArgs(closed)));
            } else {
                throw new IllegalArgumentException(
                        "not an open or close: " + event.eventType().wireName());
            }
        }
        List<Object> results = scripts.runAll(calls);
        List<SessionOutcome> outcomes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            long result = ((Number) results.get(i)).longValue();
            outcomes.add(events.get(i) instanceof ConnectionOpened ? opened(result) : closed(result));
        }
        return outcomes;
    }

    private static List<String> openArgs(ConnectionOpened event) {
        return List.of(
                Long.toString(event.userId()),
                event.sessionId(),
                event.gatewayId(),
                Long.toString(event.openedAt().toEpochMilli()));
    }

    private static List<String> closeArgs(ConnectionClosed event) {
        return List.of(Long.toString(event.userId()), event.sessionId());
    }

    private static SessionOutcome opened(long result) {
        if (result == 1) {
            return SessionOutcome.WENT_ONLINE;
        }
        if (result == -2) {
            return SessionOutcome.STALE;
        }
        return result == -1 ? SessionOutcome.IGNORED : SessionOutcome.UNCHANGED;
    }

    private static SessionOutcome closed(long result) {
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
        long refreshed = PresenceScripts.number(result, 0);
        if (refreshed < 0) {
            return new HeartbeatOutcome(true, 0, 0, 0, 0);
        }
        return new HeartbeatOutcome(
                false,
                (int) refreshed,
                (int) PresenceScripts.number(result, 1),
                (int) PresenceScripts.number(result, 2),
                (int) PresenceScripts.number(result, 3));
    }

    private static long epochMillis(Instant instant) {
        return instant.toEpochMilli();
    }
}
