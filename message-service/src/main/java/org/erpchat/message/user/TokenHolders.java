package org.erpchat.message.user;

import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.security.UserIdClaim;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/**
 * The users named by tokens carried in a request's body, as a gateway's batch calls carry them (one token per user it
 * asks for). Each token is checked exactly as a bearer token is, and its user is recorded as any caller is, so a batch
 * answers for each user only what that user could ask for alone.
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
     */
    public AuthenticatedUser holderOf(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        AuthenticatedUser holder;
        try {
            holder = userIdClaim.user(tokens.decode(token));
        } catch (JwtException | IllegalArgumentException e) {
            return null;
        }
        users.recordSeen(holder.id(), holder.displayName());
        return holder;
    }
}
