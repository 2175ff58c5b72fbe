package org.erpchat.localstack;

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
import java.util.HexFormat;
import java.util.Map;
import org.erpchat.infra.embedded.HmacTokens;

/**
 * Mints HS256 tokens for local development, signed with the local stack's own secret. This class lives only in the
 * local-stack module, which no deployment (compose, Kubernetes) contains: the services themselves have no way to
 * issue tokens.
 */
final class DevTokens {

    static final Duration LIFETIME = Duration.ofHours(12);

    private final HmacTokens signer;
    private final Clock clock;

    DevTokens(String secret, Clock clock) {
        this.signer = new HmacTokens(secret);
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
        String token = signer.sign(
                Map.of("sub", Long.toString(userId), "name", name, "iss", "erp-chat-local-dev"), now, expiresAt);
        return new IssuedToken(token, userId, name, expiresAt);
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
