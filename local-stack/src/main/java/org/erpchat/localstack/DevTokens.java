package org.erpchat.localstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

/**
 * Mints HS256 tokens for local development, signed with the local stack's own secret. This class lives only in the
 * local-stack module, which no deployment (compose, Kubernetes) contains: the services themselves have no way to
 * issue tokens.
 */
final class DevTokens {

    static final Duration LIFETIME = Duration.ofHours(12);

    private final byte[] secret;
    private final Clock clock;

    DevTokens(String secret, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** A token for the user, valid for {@link #LIFETIME}. */
    IssuedToken issue(long userId, String displayName) {
        if (userId <= 0) {
            throw new IllegalArgumentException("user id must be a positive integer");
        }
        String name = displayName == null || displayName.isBlank() ? "User " + userId : displayName.strip();
        if (name.length() > 100) {
            throw new IllegalArgumentException("name must be at most 100 characters");
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(LIFETIME);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(Long.toString(userId))
                .claim("name", name)
                .issuer("erp-chat-local-dev")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a development token", e);
        }
        return new IssuedToken(jwt.serialize(), userId, name, expiresAt);
    }

    record IssuedToken(String token, long userId, String name, Instant expiresAt) {}

    /** The secret in {@code dataDir/dev-jwt-secret}, created with 256 random bits on first use. */
    static String loadOrCreateSecret(Path dataDir) {
        Path file = dataDir.resolve("dev-jwt-secret");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = "local-dev-" + HexFormat.of().formatHex(random);
            Files.writeString(file, secret, StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system; the data directory is the developer's own anyway.
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
