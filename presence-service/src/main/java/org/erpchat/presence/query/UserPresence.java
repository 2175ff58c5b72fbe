package org.erpchat.presence.query;

import java.time.Instant;

/**
 * One user's presence as announced.
 *
 * @param lastSeenAt the last time the user was seen with a live session (for an online user, the latest open or
 *     heartbeat that listed one of their sessions); {@code null} when never seen since the Redis dataset began
 */
record UserPresence(long userId, boolean online, Instant lastSeenAt) {}
