package org.erpchat.gateway.protocol;

import org.springframework.web.socket.CloseStatus;

/** The close codes the gateway uses, with the reasons sent along. docs/protocol.md is the client-facing list. */
public final class CloseCodes {

    /** Authentication failed, timed out or expired, or the client kept breaking the protocol. */
    public static final int POLICY_VIOLATION = 1008;
    /** A frame was larger than the configured maximum. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The gateway is shutting down; reconnect (another instance will take the connection). */
    public static final int SERVICE_RESTART = 1012;
    /** Missed messages could not be fetched; reconnect and resume later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** The client did not read its events fast enough; reconnect and resume. */
    public static final int TOO_SLOW = 4001;
    /** The user opened more sessions than allowed; this, their oldest, was closed. */
    public static final int SESSION_LIMIT = 4002;

    public static final CloseStatus AUTH_TIMEOUT = new CloseStatus(POLICY_VIOLATION, "authentication timeout");
    public static final CloseStatus TOKEN_EXPIRED = new CloseStatus(POLICY_VIOLATION, "token expired");
    public static final CloseStatus INVALID_TOKEN = new CloseStatus(POLICY_VIOLATION, "invalid token");
    public static final CloseStatus ABUSE =
            new CloseStatus(POLICY_VIOLATION, "too many invalid or rate-limited frames");
    public static final CloseStatus SHUTDOWN = new CloseStatus(SERVICE_RESTART, "gateway restarting, reconnect");
    public static final CloseStatus TOKEN_UNCHECKED =
            new CloseStatus(TRY_AGAIN_LATER, "token could not be checked, reconnect later");
    public static final CloseStatus REPLAY_FAILED =
            new CloseStatus(TRY_AGAIN_LATER, "missed messages unavailable, reconnect later");
    public static final CloseStatus SLOW_CONSUMER = new CloseStatus(TOO_SLOW, "too slow, reconnect and resume");
    public static final CloseStatus REPLACED = new CloseStatus(SESSION_LIMIT, "too many sessions for this user");
    public static final CloseStatus DEAD = new CloseStatus(1001, "no pong or traffic within the idle timeout");

    private CloseCodes() {}
}
