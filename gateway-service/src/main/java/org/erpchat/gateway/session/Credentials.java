package org.erpchat.gateway.session;

import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.erpchat.support.security.AuthenticatedUser;

/**
 * Who a session acts for, and the token that proves it. The token is kept only to call message-service on the user's
 * behalf (replay, read markers); it is never logged: {@link #toString()} leaves it out.
 *
 * @param expiresAt the token's {@code exp} claim, as clients see it in {@code connected} and {@code token_expiring}
 * @param acceptedUntil {@code exp} plus the clock skew every service tolerates ({@code chat.security.jwt.clock-skew}):
 *     the token is accepted while now is not after this, at the handshake, in {@code auth} and for an open session
 */
public record Credentials(AuthenticatedUser user, String token, Instant expiresAt, Instant acceptedUntil) {

    /**
     * Of several users' or sessions' credentials, the ones accepted longest: the token a batch call on their behalf is
     * made with, so that it is not refused before the answer is in.
     */
    public static Credentials longestHeld(Stream<Credentials> credentials) {
        return credentials.max(Comparator.comparing(Credentials::acceptedUntil)).orElseThrow();
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user.id() + ", expiresAt=" + expiresAt + "]";
    }
}
