package org.erpchat.message.user;

import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.security.UserIdClaim;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/**
 * The users named by tokens carried in a request's body, as a gateway's batch calls carry them (one token per user it
 * asks for). Each token is checked exactly as a bearer token is, and its user is recorded as any caller is, so a batch
 * answers for each user only what that user could ask for alone.
 *
 * <p>A token that could not be checked at all (the key server of an RS256 configuration did not answer) is neither
 * accepted nor refused: {@link Unchecked} tells the caller to answer that user {@code unavailable}, as a bearer token
 * gets 503, so that the gateway retries rather than close the user's connection as if the token had expired.
 */
@Component
public class TokenHolders {

    private final JwtDecoder tokens;
    private final UserIdClaim userIdClaim;
    private final UserRegistry users;

    TokenHolders(JwtDecoder tokens, UserIdClaim userIdClaim, UserRegistry users) {
        this.tokens = tokens;
        this.userIdClaim = userIdClaim;
        this.users = users;
    }

    /**
     * The token's user, recorded as seen (others can send to them from now on); null when the token is missing,
     * invalid, expired or names no valid user.
     *
     * @throws Unchecked when the token could not be checked (a fault of the decoder, not of the token)
     */
    public AuthenticatedUser holderOf(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        AuthenticatedUser holder;
        try {
            holder = userIdClaim.user(tokens.decode(token));
        } catch (BadJwtException | IllegalArgumentException e) {
            return null;
        } catch (JwtException e) {
            // Spring's decoders report a fault of the token as a BadJwtException and their own (no keys) as this.
            throw new Unchecked();
        }
        users.recordSeen(holder.id(), holder.displayName());
        return holder;
    }

    /** The token could not be checked; the request's other tokens still can be. */
    public static final class Unchecked extends RuntimeException {
        Unchecked() {
            super("the token could not be checked", null, false, false);
        }
    }
}
