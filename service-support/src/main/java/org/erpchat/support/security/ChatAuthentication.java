package org.erpchat.support.security;

import java.util.Collection;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A validated token whose principal is the {@link AuthenticatedUser}, so controllers can take
 * {@code @AuthenticationPrincipal AuthenticatedUser user}.
 */
public class ChatAuthentication extends JwtAuthenticationToken {

    private final AuthenticatedUser user;

    public ChatAuthentication(Jwt jwt, Collection<? extends GrantedAuthority> authorities, AuthenticatedUser user) {
        super(jwt, authorities, Long.toString(user.id()));
        this.user = user;
    }

    @Override
    public Object getPrincipal() {
        return user;
    }

    public AuthenticatedUser user() {
        return user;
    }
}
