package org.erpchat.gateway.ws;

import java.time.Instant;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.presence.PresenceFanOut;
import org.erpchat.gateway.protocol.ClientEvent;
import org.erpchat.gateway.protocol.ClientEventParser;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.protocol.ErrorCode;
import org.erpchat.gateway.protocol.ProtocolException;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.read.ReadRelay;
import org.erpchat.gateway.replay.CatchUp;
import org.erpchat.gateway.send.SendRelay;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.ConnectOptions;
import org.erpchat.gateway.session.MessageStream;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.typing.TypingRelay;
import org.springframework.stereotype.Component;

/**
 * Every frame a client sends passes through here: rate, then schema, then authentication, then the feature that
 * handles it. A bad frame gets an {@code error} event and the connection stays open; a client that keeps sending bad
 * or excess frames is closed with 1008.
 */
@Component
class ClientEventDispatcher {

    private final ClientEventParser parser;
    private final SessionLifecycle lifecycle;
    private final SendRelay sends;
    private final TypingRelay typing;
    private final ReadRelay reads;
    private final CatchUp catchUp;
    private final ResumeWindows resumeWindows;
    private final PresenceFanOut presence;
    private final GatewayMetrics metrics;
    private final int maxResumePositions;

    ClientEventDispatcher(
            SessionLifecycle lifecycle,
            SendRelay sends,
            TypingRelay typing,
            ReadRelay reads,
            CatchUp catchUp,
            ResumeWindows resumeWindows,
            PresenceFanOut presence,
            GatewayMetrics metrics,
            GatewayProperties properties) {
        this.parser = new ClientEventParser(
                properties.replay().maxResumePositions(), properties.presence().maxSubscriptions());
        this.lifecycle = lifecycle;
        this.sends = sends;
        this.typing = typing;
        this.reads = reads;
        this.catchUp = catchUp;
        this.resumeWindows = resumeWindows;
        this.presence = presence;
        this.metrics = metrics;
        this.maxResumePositions = properties.replay().maxResumePositions();
    }

    void dispatch(ChatSession session, String text) {
        if (session.isClosing()) {
            // The close is decided (abuse, a refused token, a failed catch-up, a shutdown) and only waits for the
            // frames already queued: what the client sends meanwhile is neither handled nor answered.
            return;
        }
        ClientEvent event;
        try {
            event = parser.parse(text);
        } catch (ProtocolException e) {
            reject(session, e);
            return;
        }
        if (!withinAllowance(session, event)) {
            return;
        }
        if (event instanceof ClientEvent.Ping) {
            session.send(OutboundFrame.control(ServerEvents.frame("pong", new ServerEvents.Pong(Instant.now()))));
        } else if (event instanceof ClientEvent.Auth auth) {
            lifecycle.authenticate(session, auth.token(), new ConnectOptions(auth.resume(), auth.presenceBatch()));
        } else if (!session.isAuthenticated()) {
            reject(
                    session,
                    new ProtocolException(
                            ErrorCode.NOT_AUTHENTICATED, "send auth with a token first", event.eventName(), null));
        } else {
            dispatchAuthenticated(session, event);
        }
    }

    /**
     * Typing frames count against an allowance of their own and are dropped silently beyond it (a start changes
     * nothing the client's next one would not), except a stop, which is handled all the same: dropped, it would leave
     * the others seeing "typing" until it expires, and it can only end a typing. Every other frame beyond the
     * connection's allowance is answered {@code rate_limited}.
     */
    private boolean withinAllowance(ChatSession session, ClientEvent event) {
        if (event instanceof ClientEvent.Typing typed) {
            if (session.tryConsumeTyping()) {
                return true;
            }
            metrics.clientError(ErrorCode.RATE_LIMITED.wireName());
            if (session.recordTypingDropped()) {
                session.closeAfterQueued(CloseCodes.ABUSE);
                return false;
            }
            return !typed.typing();
        }
        if (session.tryConsumeInbound()) {
            return true;
        }
        reject(
                session,
                new ProtocolException(
                        ErrorCode.RATE_LIMITED, "slow down: this frame was ignored", event.eventName(), null));
        return false;
    }

    private void dispatchAuthenticated(ChatSession session, ClientEvent event) {
        if (event instanceof ClientEvent.SendPrivate send) {
            sends.sendPrivate(session, send);
        } else if (event instanceof ClientEvent.SendGroup send) {
            sends.sendGroup(session, send);
        } else if (event instanceof ClientEvent.Typing typed) {
            typing.typing(session, typed);
        } else if (event instanceof ClientEvent.MarkRead read) {
            reads.markRead(session, read);
        } else if (event instanceof ClientEvent.Resume resume) {
            resume(session, resume);
        } else if (event instanceof ClientEvent.PresenceSubscribe subscribe) {
            presence.subscribe(session, subscribe.userIds());
        }
    }

    void binary(ChatSession session) {
        if (session.isClosing()) {
            return;
        }
        reject(
                session,
                new ProtocolException(
                        ErrorCode.BINARY_NOT_SUPPORTED, "send JSON text frames; binary frames are ignored"));
    }

    private void resume(ChatSession session, ClientEvent.Resume resume) {
        MessageStream.ResumeStart start = session.stream()
                .resume(resume.positions(), resume.more(), maxResumePositions, resumeWindows.deadline());
        switch (start) {
            case START_CATCH_UP -> catchUp.start(session);
            case JOINED_RUNNING_CATCH_UP, MORE_EXPECTED -> {
                // the running catch-up picks the resume up in its next round; or the resume's next frame follows
            }
            case TOO_MANY_POSITIONS ->
                reject(
                        session,
                        new ProtocolException(
                                ErrorCode.INVALID_PAYLOAD,
                                "a connection tracks at most " + maxResumePositions
                                        + " conversations, with those of all its resumes; this resume was dropped",
                                "resume",
                                null));
            case ALREADY_RESUMING ->
                reject(
                        session,
                        new ProtocolException(
                                ErrorCode.RESUME_IN_PROGRESS,
                                "a resume is already running on this connection",
                                "resume",
                                null));
        }
    }

    private void reject(ChatSession session, ProtocolException e) {
        metrics.clientError(e.code().wireName());
        session.send(OutboundFrame.control(ServerEvents.error(e)));
        if (session.recordViolation()) {
            // After the error that tipped it over, so the client sees why.
            session.closeAfterQueued(CloseCodes.ABUSE);
        }
    }
}
