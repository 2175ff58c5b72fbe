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

    /**
     * The most sessions one heartbeat record may list. A gateway lists its sessions in parts of
     * {@code chat.gateway.presence.heartbeat-part-size} (500 by default), and a part of more than some 15,000
     * sessions (UUID session ids) would not fit in a Kafka record of the default 1 MB; a record listing more than this
     * is not a gateway's, and applying it would keep the partition's consumer busy and Redis loaded for as long as it
     * takes. Refused instead: dead-lettered.
     */
    static final int MAX_SESSIONS_PER_HEARTBEAT = 20_000;

    /** Sessions per heartbeat script run: a gateway's default part, one run. */
    static final int SESSIONS_PER_SCRIPT = 500;

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

    /**
     * Applies one heartbeat part, {@value #SESSIONS_PER_SCRIPT} sessions per script run: Redis serves nobody else
     * while a script runs, and one run over 20,000 sessions took 0.3 to 0.4 s on a test machine, every other client of
     * Redis waiting meanwhile. The runs are independent, as parts are; a retry of the record applies them all again,
     * which changes nothing twice.
     *
     * @throws HeartbeatTooLargeException if the part lists more than {@value #MAX_SESSIONS_PER_HEARTBEAT} sessions
     */
    public HeartbeatOutcome heartbeat(GatewayHeartbeat event) {
        List<SessionRef> sessions = event.sessions();
        if (sessions.size() > MAX_SESSIONS_PER_HEARTBEAT) {
            throw new HeartbeatTooLargeException(sessions.size(), MAX_SESSIONS_PER_HEARTBEAT);
        }
        String sentAt = Long.toString(epochMillis(event.sentAt()));
        int refreshed = 0;
        int readded = 0;
        int announced = 0;
        int restored = 0;
        int from = 0;
        do {
            int to = Math.min(sessions.size(), from + SESSIONS_PER_SCRIPT);
            List<String> args = new ArrayList<>(2 + 2 * (to - from));
            args.add(event.gatewayId());
            args.add(sentAt);
            for (SessionRef session : sessions.subList(from, to)) {
                args.add(Long.toString(session.userId()));
                args.add(session.sessionId());
            }
            List<?> result = scripts.run(scripts.heartbeat, args);
            long refreshedNow = PresenceScripts.number(result, 0);
            if (refreshedNow < 0) {
                // Stale; a later run can only be staler. What earlier runs applied stays applied.
                return new HeartbeatOutcome(true, refreshed, readded, announced, restored);
            }
            refreshed += (int) refreshedNow;
            readded += (int) PresenceScripts.number(result, 1);
            announced += (int) PresenceScripts.number(result, 2);
            restored += (int) PresenceScripts.number(result, 3);
            from = to;
        } while (from < sessions.size());
        return new HeartbeatOutcome(false, refreshed, readded, announced, restored);
    }

    private static long epochMillis(Instant instant) {
        return instant.toEpochMilli();
    }
}
