package org.erpchat.presence.sweep;

/**
 * What one sweep did, and the state's size after it.
 *
 * @param expiredSessions sessions removed because their gateway stopped listing them for a TTL
 * @param offlineAnnounced users announced offline (sessions expired, or grace period over)
 * @param expiredTyping typing indicators that ran out (announced as stopped)
 * @param liveSessions sessions in Redis after the sweep
 * @param onlineUsers users online after the sweep
 * @param liveGateways gateways that heartbeated within a session TTL
 * @param outboxBacklog events recorded and not yet published
 * @param full whether some kind of item hit the batch limit, so another sweep should follow at once
 * @param expiryHeld whether session expiry was held (Kafka unreachable, heartbeats not heard again yet, warm-up)
 * @param kafkaReachedElsewhere whether an instance that reaches Kafka swept within the last few sweep intervals, as
 *     this sweep found before marking anything itself: for an instance that cannot reach Kafka, another instance
 * @param heldForUnreachableKafka whether this sweep held session expiry and pending offlines for every instance
 *     because this instance cannot reach Kafka
 */
record SweepResult(
        long expiredSessions,
        long offlineAnnounced,
        long expiredTyping,
        long liveSessions,
        long onlineUsers,
        long liveGateways,
        long outboxBacklog,
        boolean full,
        boolean expiryHeld,
        boolean kafkaReachedElsewhere,
        boolean heldForUnreachableKafka) {

    public boolean announcedAnything() {
        return offlineAnnounced > 0 || expiredTyping > 0;
    }
}
