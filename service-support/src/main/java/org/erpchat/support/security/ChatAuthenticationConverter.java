package org.erpchat.support.security;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/** Turns a validated token into a {@link ChatAuthentication}; scopes become {@code SCOPE_*} authorities. */
public class ChatAuthenticationConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private final UserIdClaim userIdClaim;
    private final JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();

    public ChatAuthenticationConverter(UserIdClaim userIdClaim) {
        this.userIdClaim = userIdClaim;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        return new ChatAuthentication(jwt, authorities.convert(jwt), userIdClaim.user(jwt));
    }
}
