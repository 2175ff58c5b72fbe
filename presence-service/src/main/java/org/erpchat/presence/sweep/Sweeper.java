package org.erpchat.presence.sweep;

import org.erpchat.presence.PresenceMetrics;
import org.erpchat.support.outbox.OutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every instance every sweep interval. Expiry is driven from here and never from Redis keyspace
 * notifications: those are fire-and-forget, may come long after the TTL and are lost while nobody listens, whereas a
 * sweep that misses a round simply catches up on the next.
 */
class Sweeper implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    /** Bounds one sweep's work; the next sweep continues. */
    private static final int MAX_ROUNDS = 20;

    private final StateSweeper state;
    private final OutboxRelay relay;
    private final PresenceMetrics metrics;
    private final KafkaReachability kafka;
    private int failures;

    Sweeper(StateSweeper state, OutboxRelay relay, PresenceMetrics metrics, KafkaReachability kafka) {
        this.state = state;
        this.relay = relay;
        this.metrics = metrics;
        this.kafka = kafka;
    }

    @Override
    public void run() {
        try {
            sweep();
            if (failures > 0) {
                log.info("Presence sweeper recovered after {} failed sweeps", failures);
                failures = 0;
            }
        } catch (RuntimeException e) {
            // Redis unreachable: nothing is lost, expired items stay in Redis for the next sweep.
            failures++;
            metrics.sweepFailed();
            if (failures == 1 || failures % 100 == 0) {
                log.warn("Presence sweep failed ({} in a row): {}", failures, e.toString());
            }
        }
    }

    private void sweep() {
        long expired = 0;
        SweepResult result;
        int rounds = 0;
        // Read once per sweep: every round of one sweep makes the same decision.
        boolean holdExpiry = !kafka.reachable();
        do {
            result = state.sweepOnce(holdExpiry);
            expired += result.expiredSessions();
            if (result.announcedAnything()) {
                relay.wakeUp();
            }
            if (result.expiredSessions() > 0) {
                // Sessions only expire when a gateway stopped vouching for them: worth an operator's attention.
                log.info(
                        "Sweep expired {} sessions and announced {} users offline",
                        result.expiredSessions(),
                        result.offlineAnnounced());
            }
        } while (result.full() && ++rounds < MAX_ROUNDS);
        metrics.sweep(expired, result.liveSessions(), result.onlineUsers(), result.liveGateways(), result.expiryHeld());
        metrics.outboxBacklog(result.outboxBacklog());
    }
}
