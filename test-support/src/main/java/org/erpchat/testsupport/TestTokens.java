package org.erpchat.testsupport;

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
import java.util.Map;

/**
 * HS256 tokens for tests, signed with {@link #SECRET}. Services under test are configured with the same secret
 * ({@code chat.security.jwt.secret}), so these tokens are as real as the ERP's.
 */
public final class TestTokens {

    /** The shared secret test configurations use. Test-only: never deploy it. */
    public static final String SECRET = "test-only-secret-0123456789abcdef0123456789";

    private TestTokens() {}

    /** A token for user {@code userId}, valid for an hour. */
    public static String forUser(long userId) {
        return forUser(userId, "User " + userId);
    }

    public static String forUser(long userId, String name) {
        return sign(
                SECRET,
                Map.of("sub", Long.toString(userId), "name", name),
                Instant.now().plus(Duration.ofHours(1)));
    }

    /** A token for user {@code userId} that expires at {@code expiresAt} (in the past for an expired token). */
    public static String expiringAt(long userId, Instant expiresAt) {
        return sign(SECRET, Map.of("sub", Long.toString(userId)), expiresAt);
    }

    /** A token signed with another secret: its signature does not verify. */
    public static String withWrongSignature(long userId) {
        return sign(
                "another-secret-that-is-long-enough-to-sign",
                Map.of("sub", Long.toString(userId)),
                Instant.now().plus(Duration.ofHours(1)));
    }

    /** A correctly signed token with arbitrary claims; without an expiry when {@code expiresAt} is null. */
    public static String withClaims(Map<String, Object> claims, Instant expiresAt) {
        return sign(SECRET, claims, expiresAt);
    }

    private static String sign(String secret, Map<String, Object> claims, Instant expiresAt) {
        JWTClaimsSet.Builder builder =
                new JWTClaimsSet.Builder().issueTime(Date.from(Instant.now().minusSeconds(5)));
        if (expiresAt != null) {
            builder.expirationTime(Date.from(expiresAt));
        }
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
