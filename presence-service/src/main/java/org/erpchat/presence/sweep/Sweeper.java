package org.erpchat.presence.sweep;

import java.time.Duration;
import org.erpchat.presence.PresenceMetrics;
import org.erpchat.support.outbox.OutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every instance every sweep interval. Expiry is driven from here and never from Redis keyspace
 * notifications: those are fire-and-forget, may come long after the TTL and are lost while nobody listens, whereas a
 * sweep that misses a round simply catches up on the next.
 *
 * <p>While this instance cannot reach Kafka its sweeps hold session expiry and pending offlines for every instance,
 * as long as no instance reaches Kafka. While another one does, only for {@code kafka-probe.local-outage-hold},
 * counted from the first sweep of this outage that found another instance reaching Kafka: by then this instance's
 * consumers have dropped out of the group, and the instances that took over their partitions hear every gateway.
 */
class Sweeper implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    /** Bounds one sweep's work; the next sweep continues. */
    private static final int MAX_ROUNDS = 20;

    private final StateSweeper state;
    private final OutboxRelay relay;
    private final PresenceMetrics metrics;
    private final KafkaReachability kafka;
    private final Duration localOutageHold;
    private int failures;
    /**
     * While this instance cannot reach Kafka: {@link System#nanoTime()} at the start of the first sweep that found
     * another instance reaching it, since which every sweep found one; null otherwise. Only the sweeping thread
     * touches it.
     */
    private Long outvotedSince;
    /** Whether this instance has logged that it stopped holding for every instance, in the current outage. */
    private boolean stoppedHolding;

    Sweeper(
            StateSweeper state,
            OutboxRelay relay,
            PresenceMetrics metrics,
            KafkaReachability kafka,
            Duration localOutageHold) {
        this.state = state;
        this.relay = relay;
        this.metrics = metrics;
        this.kafka = kafka;
        this.localOutageHold = localOutageHold;
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
        long startedAt = System.nanoTime();
        // Read once per sweep: every round of one sweep makes the same decision.
        boolean unreachable = !kafka.reachable();
        Duration unreachableFor = kafka.unreachableFor();
        Duration outvotedFor = Duration.ZERO;
        if (unreachable && outvotedSince != null) {
            // Not longer than this outage: a success of the probe between two sweeps began a new one.
            Duration observed = Duration.ofNanos(startedAt - outvotedSince);
            outvotedFor = observed.compareTo(unreachableFor) < 0 ? observed : unreachableFor;
        }
        do {
            result = state.sweepOnce(unreachable, outvotedFor);
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
        track(unreachable, unreachableFor, outvotedFor, startedAt, result);
    }

    /** Follows how long other instances have reached Kafka while this one cannot, and logs when the hold ends. */
    private void track(
            boolean unreachable, Duration unreachableFor, Duration outvotedFor, long startedAt, SweepResult result) {
        if (!unreachable || !result.kafkaReachedElsewhere()) {
            outvotedSince = null;
        } else if (outvotedSince == null) {
            outvotedSince = startedAt;
        }
        if (!unreachable) {
            // KafkaReachability logs that Kafka answers again.
            stoppedHolding = false;
        } else if (!result.heldForUnreachableKafka() && !stoppedHolding) {
            stoppedHolding = true;
            log.warn(
                    "Kafka has been unreachable from this instance for {} s, and other instances have reached it for"
                            + " {} s (kafka-probe.local-outage-hold: {} s): by now this instance's consumers have"
                            + " dropped out of the group and the others consume their partitions, so it no longer"
                            + " holds session expiry and pending offlines for every instance. Check its Kafka"
                            + " settings and network.",
                    unreachableFor.toSeconds(),
                    outvotedFor.toSeconds(),
                    localOutageHold.toSeconds());
        } else if (result.heldForUnreachableKafka() && stoppedHolding) {
            stoppedHolding = false;
            log.warn(
                    "This instance, which cannot reach Kafka, holds session expiry and pending offlines for every"
                            + " instance again: {}",
                    result.kafkaReachedElsewhere()
                            ? "it reached Kafka in between, and this outage is younger than kafka-probe.local-outage-hold"
                            : "no other instance reaches Kafka any more");
        }
    }
}
