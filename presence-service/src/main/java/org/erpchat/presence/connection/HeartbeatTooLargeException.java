package org.erpchat.presence.connection;

/**
 * A heartbeat record listing more sessions than any gateway sends in one ({@link
 * SessionStore#MAX_SESSIONS_PER_HEARTBEAT}). An {@link IllegalArgumentException}, so that the shared error handler
 * dead-letters it at once: retrying cannot make it smaller.
 */
class HeartbeatTooLargeException extends IllegalArgumentException {

    // The gateway id is the record's key, which the dead letter keeps: not repeated here, it is untrusted and
    // unbounded.
    HeartbeatTooLargeException(int sessions, int limit) {
        super("the heartbeat lists " + sessions + " sessions, more than the " + limit + " one record may list");
    }
}
