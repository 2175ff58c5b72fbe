package org.erpchat.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.erpchat.infra.embedded.HmacTokens;

/**
 * HS256 tokens for tests, signed with {@link #SECRET}. Services under test are configured with the same secret
 * ({@code chat.security.jwt.secret}), so these tokens are as real as the ERP's.
 */
public final class TestTokens {

    /** The shared secret test configurations use. Test-only: never deploy it. */
    public static final String SECRET = "test-only-secret-0123456789abcdef0123456789";

    private static final HmacTokens SIGNER = new HmacTokens(SECRET);
    private static final HmacTokens OTHER_SIGNER = new HmacTokens("another-secret-that-is-long-enough-to-sign");

    private TestTokens() {}

    /** A token for user {@code userId}, valid for an hour. */
    public static String forUser(long userId) {
        return forUser(userId, "User " + userId);
    }

    public static String forUser(long userId, String name) {
        return sign(
                Map.of("sub", Long.toString(userId), "name", name),
                Instant.now().plus(Duration.ofHours(1)));
    }

    /** A token for user {@code userId} that expires at {@code expiresAt} (in the past for an expired token). */
    public static String expiringAt(long userId, Instant expiresAt) {
        // Issued before it expires, as every real token is: one issued after its expiry is refused as malformed, and a
        // test of expiry would then pass without ever reaching the expiry check.
        Instant issuedAt = Instant.now().minusSeconds(5);
        if (!issuedAt.isBefore(expiresAt)) {
            issuedAt = expiresAt.minus(Duration.ofHours(1));
        }
        return SIGNER.sign(Map.of("sub", Long.toString(userId)), issuedAt, expiresAt);
    }

    /** A token signed with another secret: its signature does not verify. */
    public static String withWrongSignature(long userId) {
        return OTHER_SIGNER.sign(
                Map.of("sub", Long.toString(userId)),
                Instant.now().minusSeconds(5),
                Instant.now().plus(Duration.ofHours(1)));
    }

    /** A correctly signed token with arbitrary claims; without an expiry when {@code expiresAt} is null. */
    public static String withClaims(Map<String, Object> claims, Instant expiresAt) {
        return sign(claims, expiresAt);
    }

    private static String sign(Map<String, Object> claims, Instant expiresAt) {
        // Issued a little in the past, as by an ERP whose clock runs slightly ahead.
        return SIGNER.sign(claims, Instant.now().minusSeconds(5), expiresAt);
    }
}
