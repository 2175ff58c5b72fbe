package org.erpchat.gateway.session;

import java.time.Instant;
import org.erpchat.support.security.AuthenticatedUser;

/**
 * Who a session acts for, and the token that proves it. The token is kept only to call message-service on the user's
 * behalf (replay, read markers); it is never logged: {@link #toString()} leaves it out.
 */
public record Credentials(AuthenticatedUser user, String token, Instant expiresAt) {

    @Override
    public String toString() {
        return "Credentials[user=" + user.id() + ", expiresAt=" + expiresAt + "]";
    }
}
