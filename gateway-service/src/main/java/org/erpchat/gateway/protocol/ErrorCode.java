package org.erpchat.gateway.protocol;

import java.util.Locale;

/** The {@code code} of an {@code error} event: what was wrong with a frame the client sent. docs/protocol.md lists them. */
public enum ErrorCode {
    /** The frame is not valid JSON. */
    MALFORMED_JSON,
    /** The frame is JSON but not an object with a string {@code event} and an object {@code data}. */
    INVALID_ENVELOPE,
    /** The {@code event} is not one the gateway accepts. */
    UNKNOWN_EVENT,
    /** A field is missing or has the wrong type or value; the message names it. */
    INVALID_PAYLOAD,
    /** Binary frames are not part of the protocol. */
    BINARY_NOT_SUPPORTED,
    /** The connection has not authenticated yet: only {@code auth} and {@code ping} are accepted. */
    NOT_AUTHENTICATED,
    /** The token sent in {@code auth} is invalid, expired, or belongs to another user than the connection's. */
    INVALID_TOKEN,
    /** The connection sends faster than its allowance; the frame was ignored. */
    RATE_LIMITED,
    /** The conversation does not exist or the user does not take part in it. */
    UNKNOWN_CONVERSATION,
    /** A {@code resume} is already running on this connection. */
    RESUME_IN_PROGRESS,
    /** A service behind the gateway did not answer; the client may retry. */
    UNAVAILABLE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
