package org.erpchat.gateway.ws;

import java.time.Instant;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.SessionRegistry;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Walks all sessions every {@code chat.gateway.keepalive.sweep-interval} and acts on time: pings quiet connections,
 * closes dead ones (reported to presence as closed), closes connections that never authenticated, closes sessions whose
 * socket write has been stuck too long (4001, before the container's own, longer write timeout drops the socket), and
 * warns before, then closes at, the end of the token's acceptance (expiry plus clock skew).
 */
@Component
class Keepalive {

    private final SessionRegistry sessions;
    private final long pingIntervalNanos;
    private final long idleTimeoutNanos;
    private final long authTimeoutNanos;
    private final long sendTimeoutNanos;
    private final long expiryWarningMillis;

    Keepalive(SessionRegistry sessions, GatewayProperties properties) {
        this.sessions = sessions;
        this.pingIntervalNanos = properties.keepalive().pingInterval().toNanos();
        this.idleTimeoutNanos = properties.keepalive().idleTimeout().toNanos();
        this.authTimeoutNanos = properties.auth().firstMessageTimeout().toNanos();
        this.sendTimeoutNanos = properties.outbound().sendTimeout().toNanos();
        this.expiryWarningMillis = properties.auth().expiryWarning().toMillis();
    }

    @Scheduled(fixedDelayString = "${chat.gateway.keepalive.sweep-interval:1s}")
    void sweep() {
        long now = System.nanoTime();
        long wallNow = System.currentTimeMillis();
        for (ChatSession session : sessions.all()) {
            if (!session.isClosing()) {
                check(session, now, wallNow);
            } else if (writeStuck(session, now)) {
                // Closing after its last frames (ChatSession.closeAfterQueued), but the client does not read them:
                // nothing else would ever end the wait. A session closed outright does nothing more here.
                session.close(CloseCodes.SLOW_CONSUMER);
            }
        }
    }

    private boolean writeStuck(ChatSession session, long now) {
        long writing = session.outbound().inFlightSinceNanos();
        return writing != 0 && now - writing > sendTimeoutNanos;
    }

    private void check(ChatSession session, long now, long wallNow) {
        if (!session.isAuthenticated()) {
            if (now - session.openedAtNanos() > authTimeoutNanos) {
                session.close(CloseCodes.AUTH_TIMEOUT);
            }
            return;
        }
        long quiet = now - session.lastInboundNanos();
        if (quiet > idleTimeoutNanos) {
            session.close(CloseCodes.DEAD);
            return;
        }
        if (writeStuck(session, now)) {
            session.close(CloseCodes.SLOW_CONSUMER);
            return;
        }
        // One rule everywhere: a token is accepted while now <= exp + clock skew (the handshake and auth apply it too).
        Instant acceptedUntil = session.tokenAcceptedUntil();
        if (acceptedUntil != null) {
            long left = acceptedUntil.toEpochMilli() - wallNow;
            if (left < 0) {
                session.close(CloseCodes.TOKEN_EXPIRED);
                return;
            }
            if (left <= expiryWarningMillis && session.markExpiryWarned()) {
                session.send(OutboundFrame.control(ServerEvents.frame(
                        "token_expiring", new ServerEvents.TokenExpiring(session.tokenExpiresAt()))));
            }
        }
        // Also while frames to it are being written: the ping goes out after the write in progress, and a client that
        // sends nothing while it takes in a long replay over a slow link must get the chance to answer, or the idle
        // timeout above would close it as dead in the middle of the replay, and again after every reconnect.
        if (quiet > pingIntervalNanos && session.pingDue(now, pingIntervalNanos)) {
            session.ping();
        }
    }
}
