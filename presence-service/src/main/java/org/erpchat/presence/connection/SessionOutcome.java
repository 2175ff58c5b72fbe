package org.erpchat.presence.connection;

/** What an open or close did to the user's presence. */
enum SessionOutcome {
    /** The user's first live session: announced online. */
    WENT_ONLINE,
    /** The user's last session closed and offline was announced. */
    WENT_OFFLINE,
    /** The user's last session closed; offline is announced after the grace period unless a session returns. */
    OFFLINE_PENDING,
    /** Presence did not change (another session, a duplicate, a close of a session we never knew). */
    UNCHANGED,
    /** An open of a session that was already closed: ignored so it cannot come back to life. */
    IGNORED,
    /**
     * An open read more than a session TTL after it was made (a backlog): ignored; if the session still lives, its
     * gateway's heartbeats re-add it.
     */
    STALE;

    /** Whether the script recorded an event in the outbox. */
    public boolean announced() {
        return this == WENT_ONLINE || this == WENT_OFFLINE;
    }
}
