package org.erpchat.presence.connection;

/**
 * What one heartbeat part did.
 *
 * @param stale the heartbeat was older than a session TTL and was ignored (from the script run that found it so, for a
 *     part applied in several runs: the counts say what the runs before it applied)
 * @param refreshed sessions Redis held whose expiry moved forward
 * @param readded sessions Redis did not hold and that were added (not closed ones)
 * @param announcedOnline users who became online through a re-added session (announced)
 * @param restoredSilently users put back online without an event, rebuilding after Redis lost its data
 */
record HeartbeatOutcome(boolean stale, int refreshed, int readded, int announcedOnline, int restoredSilently) {}
