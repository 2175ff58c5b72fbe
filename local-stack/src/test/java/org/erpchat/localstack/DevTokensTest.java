package org.erpchat.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void issuesAnHs256TokenTheServicesAccept() throws Exception {
        String secret = DevTokens.loadOrCreateSecret(dataDir);
        DevTokens tokens = new DevTokens(secret, Clock.fixed(NOW, ZoneOffset.UTC));

        DevTokens.IssuedToken issued = tokens.issue(7, "  Lan Nguyen ");

        SignedJWT jwt = SignedJWT.parse(issued.token());
        assertThat(jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("7");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("name")).isEqualTo("Lan Nguyen");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(NOW.plus(DevTokens.LIFETIME));
    }

    @Test
    void keepsTheSameSecretAcrossRestartsSoOldTokensStayValid() {
        String first = DevTokens.loadOrCreateSecret(dataDir);

        assertThat(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(DevTokens.loadOrCreateSecret(dataDir)).isEqualTo(first);
    }

    @Test
    void refusesUserIdsThatAreNotPositive() {
        DevTokens tokens = new DevTokens("local-dev-secret-that-is-long-enough-000", Clock.systemUTC());

        assertThatThrownBy(() -> tokens.issue(0, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue(-5, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void servesTokensOverHttpWithCorsForTheWebApp() throws Exception {
        DevTokens tokens = new DevTokens("local-dev-secret-that-is-long-enough-000", Clock.systemUTC());
        try (DevTokenServer server =
                new DevTokenServer(0, tokens, List.of("http://localhost:8080", "http://127.0.0.1:8080")).start()) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/dev/token");

            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\": 3, \"name\": \"Minh\"}"))
                            .header("Content-Type", "application/json")
                            .header("Origin", "http://localhost:8080")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> get = http.send(
                    HttpRequest.newBuilder(URI.create(uri + "?user_id=4&name=Hoa%20Tran"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> otherSite = http.send(
                    HttpRequest.newBuilder(URI.create(uri + "?user_id=5"))
                            .header("Origin", "http://evil.example")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> bad = http.send(
                    HttpRequest.newBuilder(URI.create(uri + "?user_id=abc")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.body()).contains("\"user_id\":3", "\"name\":\"Minh\"", "\"token\":\"ey");
            assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:8080");
            assertThat(get.body()).contains("\"user_id\":4", "\"name\":\"Hoa Tran\"");
            assertThat(otherSite.headers().firstValue("Access-Control-Allow-Origin"))
                    .as("another site's page may not read tokens")
                    .isEmpty();
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("invalid_request");
        }
    }

    @Test
    void readsSettingsFromTheEnvironmentAndRejectsBadPorts() {
        LocalStackSettings settings = LocalStackSettings.fromEnvironment(
                Path.of("/repo"), Map.of("CHAT_GATEWAY_PORT", "9000", "CHAT_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

        assertThat(settings.gatewayPort()).isEqualTo(9000);
        assertThat(settings.messagePort()).isEqualTo(8081);
        assertThat(settings.externalKafka()).isEqualTo("kafka:9092");
        assertThat(settings.externalPostgresUrl()).isNull();
        assertThat(settings.dataDir()).isEqualTo(Path.of("/repo/.local-stack"));
        assertThatThrownBy(() -> LocalStackSettings.fromEnvironment(Path.of("/repo"), Map.of("CHAT_REDIS_PORT", "x")))
                .hasMessageContaining("CHAT_REDIS_PORT");
    }
}
