package org.erpchat.bench.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The system under test: the gateway's WebSocket URL, message-service's base URL, and the HS256 secret the services
 * share (the benchmark mints its users' tokens). Defaults to the local stack of {@code ./run-local.sh}.
 *
 * @param gatewayUrl e.g. {@code http://localhost:8080}; WebSocket clients connect to its {@code /ws}
 * @param messageServiceUrl e.g. {@code http://localhost:8081}
 * @param jwtSecret the HS256 secret of the services
 */
public record Target(URI gatewayUrl, URI messageServiceUrl, String jwtSecret) {

    /**
     * The seed's way in, with the token in the query; {@code resume} declares that the client will send {@code resume},
     * so the gateway holds live messages until it does (docs/protocol.md §8).
     */
    public URI webSocketUri(String token, boolean resume) {
        String scheme = gatewayUrl.getScheme().equals("https") ? "wss" : "ws";
        return URI.create(
                scheme + "://" + gatewayUrl.getAuthority() + "/ws?token=" + token + (resume ? "&resume=true" : ""));
    }

    /**
     * From {@code --gateway-url}, {@code --message-url} and {@code --jwt-secret} (or {@code CHAT_JWT_SECRET}), falling
     * back to the local stack's ports and the secret it keeps in {@code .local-stack/dev-jwt-secret}.
     */
    public static Target from(Map<String, String> options, Map<String, String> env, Path repositoryRoot) {
        String gateway = options.getOrDefault(
                "gateway-url", "http://localhost:" + env.getOrDefault("CHAT_GATEWAY_PORT", "8080"));
        String message = options.getOrDefault(
                "message-url", "http://localhost:" + env.getOrDefault("CHAT_MESSAGE_PORT", "8081"));
        String secret = options.getOrDefault("jwt-secret", env.get("CHAT_JWT_SECRET"));
        if (secret == null || secret.isBlank()) {
            Path dataDir = repositoryRoot.resolve(env.getOrDefault("CHAT_DATA_DIR", ".local-stack"));
            Path file = dataDir.resolve("dev-jwt-secret");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("No JWT secret: give --jwt-secret or CHAT_JWT_SECRET, or start the "
                        + "local stack (./run-local.sh), which keeps one in " + file);
            }
            try {
                secret = Files.readString(file, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Target(URI.create(stripSlash(gateway)), URI.create(stripSlash(message)), secret);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
