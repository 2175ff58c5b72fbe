package org.erpchat.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.erpchat.testsupport.MutableClock;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class VerifiedTokensTest {

    private final MutableClock clock = new MutableClock(Instant.now());

    @Test
    void aTokenVerifiedOnceIsAnsweredFromMemoryAfterwards() {
        JwtDecoder decoder =
                ChatJwtDecoders.create(properties(new JwtProperties.Cache(100, Duration.ofMinutes(5))), clock);
        String token = TestTokens.expiringAt(42, clock.instant().plus(Duration.ofHours(1)));

        Jwt first = decoder.decode(token);
        Jwt second = decoder.decode(token);

        assertThat(decoder).isInstanceOf(VerifiedTokens.class);
        assertThat(second).isSameAs(first);
        assertThat(second.getSubject()).isEqualTo("42");
        assertThat(((VerifiedTokens) decoder).size()).isEqualTo(1);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItHasExpired() {
        VerifiedTokens decoder = (VerifiedTokens)
                ChatJwtDecoders.create(properties(new JwtProperties.Cache(100, Duration.ofHours(2))), clock);
        String token = TestTokens.expiringAt(42, clock.instant().plus(Duration.ofMinutes(1)));
        decoder.decode(token);

        // Past exp plus the 30 s clock skew: refused as the decoder itself refuses an expired token, and forgotten.
        clock.advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> decoder.decode(token))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
        assertThat(decoder.size()).isZero();
    }

    @Test
    void refusedTokensAreNotRemembered() {
        VerifiedTokens decoder = (VerifiedTokens)
                ChatJwtDecoders.create(properties(new JwtProperties.Cache(100, Duration.ofMinutes(5))), clock);

        assertThatThrownBy(() -> decoder.decode(TestTokens.withWrongSignature(42)))
                .isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode("not.a.token")).isInstanceOf(JwtException.class);
        assertThatThrownBy(() ->
                        decoder.decode(TestTokens.expiringAt(42, clock.instant().minusSeconds(120))))
                .isInstanceOf(JwtException.class);

        assertThat(decoder.size()).isZero();
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfTokens() {
        VerifiedTokens decoder = (VerifiedTokens)
                ChatJwtDecoders.create(properties(new JwtProperties.Cache(10, Duration.ofMinutes(5))), clock);

        for (int user = 1; user <= 50; user++) {
            assertThat(decoder.decode(TestTokens.forUser(user)).getSubject()).isEqualTo(Integer.toString(user));
        }

        assertThat(decoder.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void aCacheOfNoTokensIsTheDecoderAlone() {
        JwtDecoder decoder = ChatJwtDecoders.create(properties(ChatJwtDecodersTest.NO_CACHE), clock);

        assertThat(decoder).isNotInstanceOf(VerifiedTokens.class);
        assertThat(decoder.decode(TestTokens.forUser(7)).getSubject()).isEqualTo("7");
    }

    private static JwtProperties properties(JwtProperties.Cache cache) {
        return ChatJwtDecodersTest.hs256Properties(null, null, cache);
    }
}
