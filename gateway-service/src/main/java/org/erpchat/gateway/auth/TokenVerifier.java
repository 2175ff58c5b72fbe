package org.erpchat.gateway.auth;

import java.time.Duration;
import java.time.Instant;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.support.security.JwtProperties;
import org.erpchat.support.security.UserIdClaim;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.stereotype.Component;

/**
 * Checks a client's token with the same JWT configuration as every other service ({@code chat.security.jwt.*}).
 * Failures say whether the token expired or is otherwise invalid, never what it contained, or that it could not be
 * checked at all ({@link UncheckedToken}).
 */
@Component
public class TokenVerifier {

    /** The token was refused. */
    public static final class RejectedToken extends Exception {
        private final boolean expired;

        RejectedToken(boolean expired) {
            super(expired ? "token expired" : "invalid token", null, false, false);
            this.expired = expired;
        }

        public boolean expired() {
            return expired;
        }
    }

    /**
     * The token could not be checked: the decoder failed for a reason of its own, not the token's (the key server of
     * an RS256 configuration did not answer). Nothing is known about the token; the client should try again later,
     * not get a new one.
     */
    public static final class UncheckedToken extends Exception {
        UncheckedToken() {
            super("the token could not be checked", null, false, false);
        }
    }

    private final JwtDecoder decoder;
    private final UserIdClaim userIdClaim;
    private final Duration clockSkew;

    public TokenVerifier(JwtDecoder decoder, UserIdClaim userIdClaim, JwtProperties jwt) {
        this.decoder = decoder;
        this.userIdClaim = userIdClaim;
        this.clockSkew = jwt.clockSkew();
    }

    public Credentials verify(String token) throws RejectedToken, UncheckedToken {
        if (token == null || token.isBlank()) {
            throw new RejectedToken(false);
        }
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (JwtValidationException e) {
            boolean expired = e.getErrors().stream()
                    .anyMatch(error -> error.getDescription() != null
                            && error.getDescription().contains("expired"));
            throw new RejectedToken(expired);
        } catch (BadJwtException | IllegalArgumentException e) {
            throw new RejectedToken(false);
        } catch (JwtException e) {
            // Spring's decoder reports a fault of the token as BadJwtException (JwtValidationException is one); a plain
            // JwtException is its own failure, such as a key set it could not fetch.
            throw new UncheckedToken();
        }
        Instant expiresAt = jwt.getExpiresAt();
        // The decoder accepted the token because now <= exp + skew (every service's rule); an open session keeps it
        // exactly as long, so a token inside the skew is not accepted at the handshake and then closed at once.
        return new Credentials(userIdClaim.user(jwt), token, expiresAt, expiresAt.plus(clockSkew));
    }
}
