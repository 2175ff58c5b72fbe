package org.erpchat.bench.system;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mints HS256 tokens for the benchmark's users with the target's shared secret, as the ERP would: thousands of users
 * need tokens, and asking a token endpoint for each would measure that endpoint instead of the chat.
 */
public final class Tokens {

    private static final Duration LIFETIME = Duration.ofHours(6);

    private final MACSigner signer;

    public Tokens(String secret) {
        try {
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the JWT secret must be at least 32 bytes", e);
        }
    }

    public String forUser(long userId) {
        return sign(new JWTClaimsSet.Builder().subject(Long.toString(userId)).claim("name", "Bench " + userId));
    }

    /** A token with scope {@code chat.admin}, which may provision users. */
    public String admin() {
        return sign(new JWTClaimsSet.Builder().subject("1").claim("scope", "chat.admin"));
    }

    private String sign(JWTClaimsSet.Builder claims) {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                claims.issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plus(LIFETIME)))
                        .build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a benchmark token", e);
        }
        return jwt.serialize();
    }
}
