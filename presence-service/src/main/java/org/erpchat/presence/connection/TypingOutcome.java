package org.erpchat.presence.connection;

/** What a typing indication did. */
enum TypingOutcome {
    /** Typing started or stopped: announced. */
    CHANGED,
    /** A repeat that extended the indicator, or a stop with nothing to stop. */
    UNCHANGED,
    /** The user has no live session, so their typing is not believed. */
    IGNORED,
    /** A start read more than a session TTL after it was made (a backlog): it lapsed long ago. */
    STALE
}
