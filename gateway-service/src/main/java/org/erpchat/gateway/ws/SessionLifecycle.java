package org.erpchat.gateway.ws;

import java.util.List;
import org.erpchat.gateway.auth.TokenVerifier;
import org.erpchat.gateway.config.GatewayIdentity;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.presence.ConnectionEvents;
import org.erpchat.gateway.presence.PresenceFanOut;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.protocol.ErrorCode;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.ConnectOptions;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.gateway.typing.TypingRelay;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * A session's life: authentication (at the handshake or by a first {@code auth} message), token refresh, and the end,
 * with everything each step owes the rest of the system (registry, presence, typing, logs, metrics). Logs name users
 * by id and never show tokens.
 */
@Component
class SessionLifecycle {

    private final SessionRegistry sessions;
    private final TokenVerifier verifier;
    private final ConnectionEvents connectionEvents;
    private final PresenceFanOut presence;
    private final TypingRelay typing;
    private final ResumeWindows resumeWindows;
    private final ConnectionLog connectionLog;
    private final String gatewayId;
    private final long pingIntervalMs;
    private final long maxFrameBytes;
    private final long resumeWindowMs;

    SessionLifecycle(
            SessionRegistry sessions,
            TokenVerifier verifier,
            ConnectionEvents connectionEvents,
            PresenceFanOut presence,
            TypingRelay typing,
            ResumeWindows resumeWindows,
            ConnectionLog connectionLog,
            GatewayIdentity identity,
            GatewayProperties properties) {
        this.sessions = sessions;
        this.verifier = verifier;
        this.connectionEvents = connectionEvents;
        this.presence = presence;
        this.typing = typing;
        this.resumeWindows = resumeWindows;
        this.connectionLog = connectionLog;
        this.gatewayId = identity.id();
        this.pingIntervalMs = properties.keepalive().pingInterval().toMillis();
        this.maxFrameBytes = properties.inbound().maxFrameSize().toBytes();
        this.resumeWindowMs = properties.replay().resumeWindow().toMillis();
    }

    /**
     * @param fromHandshake the credentials of a token given at the handshake, or null (an {@code auth} frame follows)
     * @param declared what the handshake's query string declared ({@code resume}, {@code presence_batch})
     */
    void opened(ChatSession session, Credentials fromHandshake, ConnectOptions declared) {
        sessions.add(session);
        session.declare(declared);
        if (fromHandshake != null) {
            activate(session, fromHandshake);
        }
    }

    /**
     * An {@code auth} frame: first authentication of the connection (where {@code resume} declares that the client
     * will resume), or a fresh token for it.
     */
    void authenticate(ChatSession session, String token, ConnectOptions declared) {
        Credentials credentials;
        try {
            credentials = verifier.verify(token);
        } catch (TokenVerifier.RejectedToken e) {
            session.send(OutboundFrame.control(authError(e.getMessage())));
            if (!session.isAuthenticated()) {
                // After the error: a plain close would drop it while an earlier frame is still being written.
                session.closeAfterQueued(e.expired() ? CloseCodes.TOKEN_EXPIRED : CloseCodes.INVALID_TOKEN);
            }
            return;
        } catch (TokenVerifier.UncheckedToken e) {
            session.send(OutboundFrame.control(
                    ServerEvents.error(ErrorCode.UNAVAILABLE, "the token could not be checked; retry later", "auth")));
            if (!session.isAuthenticated()) {
                session.closeAfterQueued(CloseCodes.TOKEN_UNCHECKED);
            }
            return;
        }
        if (!session.isAuthenticated()) {
            session.declare(declared);
            activate(session, credentials);
        } else if (credentials.user().id() != session.userId()) {
            session.send(OutboundFrame.control(authError("the token belongs to another user")));
        } else {
            session.authenticate(credentials);
            session.send(OutboundFrame.control(
                    ServerEvents.frame("token_refreshed", new ServerEvents.TokenRefreshed(credentials.expiresAt()))));
        }
    }

    private static String authError(String message) {
        return ServerEvents.error(ErrorCode.INVALID_TOKEN, message, "auth");
    }

    void closed(ChatSession session, CloseStatus status) {
        CloseStatus ours = session.closeStatus();
        session.connectionClosed(status);
        if (!session.isAuthenticated()) {
            sessions.remove(session);
            return;
        }
        long user = session.userId();
        // A session refused for the cap, or closed while it was being activated, was never announced: presence and
        // the connection log hear nothing of it.
        boolean announced = session.openingAnnounced();
        if (announced) {
            // Published before the session leaves the registry: a draining gateway waits for the registry to empty
            // and then stops publishing.
            connectionEvents.closed(session);
        }
        typing.sessionClosed(session);
        presence.sessionClosed(session);
        sessions.remove(session);
        if (!sessions.hasUser(user)) {
            presence.userLeft(user);
        }
        if (announced) {
            connectionLog.closed(user, (ours == null ? status : ours).getCode());
        }
    }

    private void activate(ChatSession session, Credentials credentials) {
        ConnectOptions options = session.options();
        // Queued first: once the session is authenticated (the keepalive sweep may warn of the token's expiry) and
        // registered under its user (group_updated, user_typing, conversation_read, live messages, presence flushes),
        // other threads send to it, and all of that must queue behind connected. Nothing in it depends on either.
        session.send(connectedFrame(session, credentials, options));
        session.authenticate(credentials);
        if (options.resume()) {
            // Before the session can receive anything: from now on its live messages wait for the resume.
            resumeWindows.open(session);
        }
        List<ChatSession> evicted = sessions.activate(session);
        evicted.forEach(old -> old.close(CloseCodes.REPLACED));
        if (session.isClosing() || !session.announceOpening()) {
            // Closed while it was being activated (refused for the cap, among others): undo, the close has already
            // been handled or will see nothing. Its connected frame went nowhere, or ahead of the close.
            sessions.remove(session);
            return;
        }
        connectionEvents.opened(session);
        presence.sessionOpened(session);
        connectionLog.opened(credentials.user().id());
    }

    private OutboundFrame connectedFrame(ChatSession session, Credentials credentials, ConnectOptions options) {
        return OutboundFrame.control(ServerEvents.frame(
                "connected",
                new ServerEvents.Connected(
                        session.id(),
                        credentials.user().id(),
                        gatewayId,
                        credentials.expiresAt(),
                        pingIntervalMs,
                        maxFrameBytes,
                        resumeWindowMs,
                        options.resume(),
                        options.presenceBatch())));
    }
}
