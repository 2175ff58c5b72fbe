package org.erpchat.presence.sweep;

import java.time.Duration;
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
    /**
     * How long an instance's "Kafka unreachable" or "Kafka reached" mark outlives its last sweep: three sweeps, for
     * scheduling jitter.
     */
    private final String markTtl;

    private final String localOutageHold;

    StateSweeper(PresenceScripts scripts, PresenceProperties properties) {
        this.scripts = scripts;
        this.batchSize = properties.sweepBatchSize();
        this.markTtl = Long.toString(properties.sweepInterval().toMillis() * 3);
        this.localOutageHold =
                Long.toString(properties.kafkaProbe().localOutageHold().toMillis());
    }

    /**
     * One sweep script run; call again at once while {@link SweepResult#full()}.
     *
     * @param kafkaUnreachable true while this instance cannot reach Kafka: the gateways' heartbeats cannot arrive, so
     *     no session may expire now, nor afterwards until a fresh heartbeat has been applied again and one session TTL
     *     beyond it (the time the gateways need to vouch for their sessions); and no pending offline may be announced,
     *     by any instance, until a fresh heartbeat has been applied and no instance says it cannot reach Kafka. Unless
     *     another instance reaches Kafka and {@code outvotedFor} has reached {@code kafka-probe.local-outage-hold}:
     *     this instance's partitions have moved to instances that hear the gateways, and it holds nothing any more.
     * @param outvotedFor while this instance cannot reach Kafka, for how long its sweeps have found that another
     *     instance reaches it ({@link SweepResult#kafkaReachedElsewhere()}); zero otherwise
     */
    public SweepResult sweepOnce(boolean kafkaUnreachable, Duration outvotedFor) {
        List<?> r = scripts.run(
                scripts.sweep,
                List.of(
                        Integer.toString(batchSize),
                        kafkaUnreachable ? "1" : "0",
                        markTtl,
                        Long.toString(outvotedFor.toMillis()),
                        localOutageHold));
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
                PresenceScripts.number(r, 9) == 1,
                PresenceScripts.number(r, 10) == 1,
                PresenceScripts.number(r, 11) == 1);
    }
}
