package org.erpchat.presence.connection;

/**
 * A readable event of a type that does not belong on {@code chat.connection-events}. It is an
 * {@link IllegalArgumentException} because the shared error handler dead-letters those at once: retrying cannot make
 * a misrouted event belong here.
 */
class UnexpectedEventException extends IllegalArgumentException {

    UnexpectedEventException(String message) {
        super(message);
    }
}
