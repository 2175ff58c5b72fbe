package org.erpchat.support.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.net.URI;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

/**
 * How services check the JWTs the ERP issues. Every service (and the gateway's handshake) uses the same settings.
 *
 * @param algorithm {@code HS256} (shared secret) or {@code RS256} (public key or JWK set)
 * @param secret the HS256 shared secret, at least 32 bytes; never logged
 * @param jwkSetUri RS256: where to fetch the issuer's public keys
 * @param publicKey RS256: an X.509 PEM public key, used when no JWK set URI is given
 * @param userIdClaim the claim that holds the user id, a positive integer (as in the seed's users table)
 * @param nameClaim the claim that holds a display name, if any
 * @param issuer when set, tokens must carry exactly this {@code iss}
 * @param audience when set, tokens must list this {@code aud}
 * @param clockSkew tolerance when checking {@code exp} and {@code nbf}
 * @param cache how many verified tokens to remember, and for how long
 * @param keyServerTimeout RS256 with a JWK set URI: how long connecting to the key server, and then reading its
 *     answer, may each take (Spring's own default is 30 s each, so a key server that accepts a connection and never
 *     answers held every request that needed a key, the first ones and any token signed with a new key, for 30 s);
 *     past this the token is answered "could not be checked" (503, the gateway's {@code unavailable}). A request
 *     that needs a key while another's fetch is under way waits for that fetch first (the key cache waits at most
 *     15 s), then tries its own. At least 1 ms: 0 would mean no limit at all
 */
@Validated
@ConfigurationProperties("chat.security.jwt")
public record JwtProperties(
        @NotNull @DefaultValue("HS256") Algorithm algorithm,
        String secret,
        URI jwkSetUri,
        Resource publicKey,
        @NotBlank @DefaultValue("sub") String userIdClaim,
        @NotBlank @DefaultValue("name") String nameClaim,
        String issuer,
        String audience,
        @NotNull @DefaultValue("30s") Duration clockSkew,
        @Valid @NotNull @DefaultValue Cache cache,

        @NotNull @DurationMin(millis = 1) @DefaultValue("5s")
        Duration keyServerTimeout) {

    /**
     * Verified tokens kept so that a client's next call with the same token skips the signature check and the parse;
     * the time checks still run on every use. 0 tokens turns the cache off.
     *
     * @param maxTokens at most this many tokens (about 1.5 KB of heap each)
     * @param ttl a token is verified again after this long, whatever its expiry
     */
    public record Cache(
            @PositiveOrZero @DefaultValue("10000") int maxTokens,
            @NotNull @DefaultValue("5m") Duration ttl) {}

    public enum Algorithm {
        HS256,
        RS256
    }

    @Override
    public String toString() {
        // The secret must never reach a log line, including a configuration dump.
        return "JwtProperties[algorithm=" + algorithm + ", jwkSetUri=" + jwkSetUri + ", publicKey=" + publicKey
                + ", userIdClaim=" + userIdClaim + ", issuer=" + issuer + ", audience=" + audience + ", cache=" + cache
                + ", keyServerTimeout=" + keyServerTimeout + "]";
    }
}
