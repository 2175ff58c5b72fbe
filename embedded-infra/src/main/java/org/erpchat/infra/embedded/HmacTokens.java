package org.erpchat.infra.embedded;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * Signs HS256 JWTs with a shared secret, as the ERP does: the one stand-in for the ERP's token issuer that the tests
 * ({@code TestTokens}), the local stack's development tokens and the benchmark's users all use. The services never
 * issue tokens; they only verify them with the same secret.
 */
public final class HmacTokens {

    private final MACSigner signer;

    /** @throws IllegalArgumentException when the secret is shorter than HS256 allows (32 bytes) */
    public HmacTokens(String secret) {
        try {
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("an HS256 secret must be at least 32 bytes", e);
        }
    }

    /**
     * A signed token with these claims, issued at {@code issuedAt} and expiring at {@code expiresAt} (no {@code exp}
     * when null).
     */
    public String sign(Map<String, ?> claims, Instant issuedAt, Instant expiresAt) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issueTime(Date.from(issuedAt));
        if (expiresAt != null) {
            builder.expirationTime(Date.from(expiresAt));
        }
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
        return jwt.serialize();
    }
}
