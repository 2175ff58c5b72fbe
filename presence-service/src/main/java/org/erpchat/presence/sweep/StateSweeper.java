package org.erpchat.presence.sweep;

import java.util.List;
import org.erpchat.presence.PresenceProperties;
import org.erpchat.presence.state.PresenceScripts;
import org.springframework.stereotype.Service;

/**
 * Removes what has expired: sessions of gateways that stopped heartbeating, typing indicators, offline announcements
 * whose grace period is over, forgotten tombstones. Safe to run on every instance at once.
 */
@Service
class StateSweeper {

    private final PresenceScripts scripts;
    private final int batchSize;
    /** How long an instance's "Kafka unreachable" mark outlives its last sweep: three sweeps, for scheduling jitter. */
    private final String unreachableMark;

    StateSweeper(PresenceScripts scripts, PresenceProperties properties) {
        this.scripts = scripts;
        this.batchSize = properties.sweepBatchSize();
        this.unreachableMark = Long.toString(properties.sweepInterval().toMillis() * 3);
    }

    /**
     * One sweep script run; call again at once while {@link SweepResult#full()}.
     *
     * @param holdExpiry true while this instance cannot reach Kafka: the gateways' heartbeats cannot arrive, so no
     *     session may expire now, nor afterwards until a fresh heartbeat has been applied again and one session TTL
     *     beyond it (the time the gateways need to vouch for their sessions); and no pending offline may be announced,
     *     by any instance, until a fresh heartbeat has been applied and no instance says it cannot reach Kafka
     */
    public SweepResult sweepOnce(boolean holdExpiry) {
        List<?> r = scripts.run(
                scripts.sweep, List.of(Integer.toString(batchSize), holdExpiry ? "1" : "0", unreachableMark));
        long expired = PresenceScripts.number(r, 0);
        long offline = PresenceScripts.number(r, 1);
        long typing = PresenceScripts.number(r, 2);
        long afterGrace = PresenceScripts.number(r, 6);
        boolean full = expired >= batchSize || typing >= batchSize || PresenceScripts.number(r, 7) >= batchSize;
        return new SweepResult(
                expired,
                offline + afterGrace,
                typing,
                PresenceScripts.number(r, 3),
                PresenceScripts.number(r, 4),
                PresenceScripts.number(r, 5),
                PresenceScripts.number(r, 8),
                full,
                PresenceScripts.number(r, 9) == 1);
    }
}
