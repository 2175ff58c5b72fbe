package org.erpchat.message.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.erpchat.support.security.JwtProperties;
import org.erpchat.support.security.UserIdClaim;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A token in a batch's body that could not be checked is kept apart from one that was refused, as a bearer token is
 * (503, not 401): the batch answers that user {@code unavailable} and the gateway retries instead of closing the
 * user's connection with "token expired". The decoders here fail the way Spring's do: a fault of the token is a
 * {@link BadJwtException}, one of the decoder's own (the key server did not answer) a plain {@link JwtException}.
 */
class TokenHoldersTest {

    private static final UserIdClaim USER_ID = new UserIdClaim(new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("chat.security.jwt", JwtProperties.class));

    /** Neither case reaches the registry: a token that does not name a user records no one. */
    private static TokenHolders failingWith(JwtException failure) {
        JwtDecoder decoder = token -> {
            throw failure;
        };
        return new TokenHolders(decoder, USER_ID, null);
    }

    @Test
    void aTokenTheKeyServerCouldNotCheckIsNeitherAcceptedNorRefused() {
        TokenHolders holders = failingWith(new JwtException("Couldn't retrieve remote JWK set: Connection refused"));

        assertThatThrownBy(() -> holders.holderOf("a.b.c")).isInstanceOf(TokenHolders.Unchecked.class);
    }

    @Test
    void aRefusedTokenNamesNoOne() {
        assertThat(failingWith(new BadJwtException("Signed JWT rejected: Invalid signature"))
                        .holderOf("a.b.c"))
                .isNull();
        assertThat(failingWith(new JwtValidationException("Jwt expired", List.of(new OAuth2Error("invalid_token"))))
                        .holderOf("a.b.c"))
                .isNull();
        assertThat(failingWith(new JwtException("never asked")).holderOf(" ")).isNull();
    }
}
