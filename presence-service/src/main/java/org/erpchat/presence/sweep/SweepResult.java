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
        boolean expiryHeld) {

    public boolean announcedAnything() {
        return offlineAnnounced > 0 || expiredTyping > 0;
    }
}
