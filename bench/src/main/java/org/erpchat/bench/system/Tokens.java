package org.erpchat.bench.system;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.erpchat.infra.embedded.HmacTokens;

/**
 * Mints HS256 tokens for the benchmark's users with the target's shared secret, as the ERP would: thousands of users
 * need tokens, and asking a token endpoint for each would measure that endpoint instead of the chat.
 */
public final class Tokens {

    private static final Duration LIFETIME = Duration.ofHours(6);

    private final HmacTokens signer;

    public Tokens(String secret) {
        this.signer = new HmacTokens(secret);
    }

    public String forUser(long userId) {
        return sign(Map.of("sub", Long.toString(userId), "name", "Bench " + userId));
    }

    /** A token with scope {@code chat.admin}, which may provision users. */
    public String admin() {
        return sign(Map.of("sub", "1", "scope", "chat.admin"));
    }

    private String sign(Map<String, String> claims) {
        Instant now = Instant.now();
        return signer.sign(claims, now, now.plus(LIFETIME));
    }
}
