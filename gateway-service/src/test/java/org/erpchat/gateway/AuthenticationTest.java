package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testclient.HandshakeRefused;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class AuthenticationTest extends GatewayTest {

    private static final String CONNECTION_LOG = "org.erpchat.gateway.ws.ConnectionLog";

    @Test
    void aTokenInTheQueryStringAuthenticatesLikeTheSeedsClient(CapturedOutput output) {
        long user = newUserId();
        String token = TestTokens.forUser(user);
        // Each connection's line is DEBUG. Set here rather than in the context's properties: another test class's
        // context re-initialises the JVM's logging levels when it starts.
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        logging.setLogLevel(CONNECTION_LOG, LogLevel.DEBUG);
        try (WsTestClient client = WsTestClient.connect(wsUri("token=" + token))) {
            WsTestClient.Frame connected = client.awaitFrame("connected");

            assertThat(connected.data().path("user_id").asLong()).isEqualTo(user);
            assertThat(connected.data().path("session_id").asString()).isNotBlank();
            assertThat(connected.data().path("token_expires_at").asString()).isNotBlank();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(output.getAll()).contains("User " + user + " connected"));
        } finally {
            logging.setLogLevel(CONNECTION_LOG, null);
        }
        assertThat(output.getAll()).doesNotContain(token);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.readString(Path.of("target/gateway-access.log")))
                        .contains("\"GET /ws HTTP/1.1\" 101")
                        .doesNotContain(token)
                        .doesNotContain("token="));
    }

    @Test
    void aBearerHeaderAuthenticates() {
        long user = newUserId();
        try (WsTestClient client = connectWithHeader(user)) {
            assertThat(client.frames("connected").get(0).data().path("user_id").asLong())
                    .isEqualTo(user);
        }
    }

    @Test
    void aFirstAuthMessageAuthenticatesAConnectionOpenedWithoutAToken() {
        long user = newUserId();
        try (WsTestClient client = WsTestClient.connect(wsUri())) {
            client.send("send_private_message", Map.of("receiver_id", 2, "content", "too early"));
            WsTestClient.Frame refused = client.awaitFrame("error");
            assertThat(refused.data().path("code").asString()).isEqualTo("not_authenticated");
            assertThat(refused.data().path("event").asString()).isEqualTo("send_private_message");
            // The client gave no client_msg_id; it is not told one the gateway would have made up.
            assertThat(refused.data().path("client_msg_id").isNull()).isTrue();

            client.send("auth", Map.of("token", TestTokens.forUser(user)));

            assertThat(client.awaitFrame("connected").data().path("user_id").asLong())
                    .isEqualTo(user);
        }
    }

    @Test
    void aConnectionThatNeverAuthenticatesIsClosedWith1008() {
        try (WsTestClient client = WsTestClient.connect(wsUri())) {
            assertThat(client.awaitClose()).isEqualTo(1008);
            assertThat(client.closeReason()).isEqualTo("authentication timeout");
        }
    }

    @Test
    void anInvalidTokenIsRefusedAtTheHandshakeWith401() {
        assertThatThrownBy(() -> WsTestClient.connect(wsUri("token=" + TestTokens.withWrongSignature(newUserId()))))
                .isInstanceOfSatisfying(
                        HandshakeRefused.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> WsTestClient.connect(wsUri("token=not-a-jwt")))
                .isInstanceOfSatisfying(
                        HandshakeRefused.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void anEmptyTokenInTheQueryIsRefusedAtTheHandshakeLikeAnInvalidOne() throws IOException {
        assertThat(handshakeResponse("token=")).startsWith("HTTP/1.1 401").contains("\"code\":\"invalid_token\"");
        assertThat(handshakeResponse("token=%20%20")).startsWith("HTTP/1.1 401").contains("\"code\":\"invalid_token\"");
    }

    @Test
    void anExpiredTokenIsRefusedAtTheHandshakeWith401() {
        String expired = TestTokens.expiringAt(newUserId(), Instant.now().minus(Duration.ofHours(1)));

        assertThatThrownBy(() -> WsTestClient.connect(wsUri("token=" + expired)))
                .isInstanceOfSatisfying(
                        HandshakeRefused.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> WsTestClient.connect(wsUri(), Map.of("Authorization", "Bearer " + expired)))
                .isInstanceOfSatisfying(
                        HandshakeRefused.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aRefusedHandshakeSaysInItsProblemBodyWhetherTheTokenIsInvalidOrExpired() throws IOException {
        String expired = TestTokens.expiringAt(newUserId(), Instant.now().minus(Duration.ofHours(1)));

        assertThat(handshakeResponse("token=" + expired))
                .startsWith("HTTP/1.1 401")
                .contains("\"code\":\"token_expired\"");
        assertThat(handshakeResponse("token=" + TestTokens.withWrongSignature(newUserId())))
                .startsWith("HTTP/1.1 401")
                .contains("\"code\":\"invalid_token\"");
    }

    @Test
    void anExpiredFirstAuthMessageClosesWith1008TokenExpired() {
        try (WsTestClient client = WsTestClient.connect(wsUri())) {
            client.send(
                    "auth",
                    Map.of(
                            "token",
                            TestTokens.expiringAt(newUserId(), Instant.now().minus(Duration.ofHours(1)))));

            assertThat(client.awaitFrame("error").data().path("code").asString())
                    .isEqualTo("invalid_token");
            assertThat(client.awaitClose()).isEqualTo(1008);
            assertThat(client.closeReason()).isEqualTo("token expired");
        }
    }

    /** The raw HTTP answer to an upgrade request, up to the end of a refusal's JSON body. */
    private String handshakeResponse(String query) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder response = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (!response.toString().contains("\"}")) {
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                response.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            return response.toString();
        }
    }

    @Test
    void aBlankTokenInTheFirstAuthMessageIsRefusedAsAnyInvalidTokenIs() {
        // A page whose token has not loaded yet sends an empty string, as an empty ?token= would be at the handshake.
        for (String blank : new String[] {"", "   "}) {
            try (WsTestClient client = WsTestClient.connect(wsUri())) {
                client.send("auth", Map.of("token", blank));

                assertThat(client.awaitFrame("error").data().path("code").asString())
                        .isEqualTo("invalid_token");
                assertThat(client.awaitClose()).isEqualTo(1008);
                assertThat(client.closeReason()).isEqualTo("invalid token");
            }
        }
    }

    @Test
    void anInvalidFirstAuthMessageClosesWith1008() {
        try (WsTestClient client = WsTestClient.connect(wsUri())) {
            client.send("auth", Map.of("token", TestTokens.withWrongSignature(newUserId())));

            WsTestClient.Frame refused = client.awaitFrame("error");
            assertThat(refused.data().path("code").asString()).isEqualTo("invalid_token");
            assertThat(refused.data().path("event").asString()).isEqualTo("auth");
            assertThat(client.awaitClose()).isEqualTo(1008);
            assertThat(client.closeReason()).isEqualTo("invalid token");
        }
    }

    @Test
    void aSessionIsWarnedBeforeItsTokenStopsBeingAcceptedAndClosedWhenItDoes() {
        long user = newUserId();
        // Accepted until exp plus the 30 s clock skew: about 3 s from now.
        Instant expiresAt = Instant.now().minusSeconds(27);
        try (WsTestClient client = WsTestClient.connect(wsUri("token=" + TestTokens.expiringAt(user, expiresAt)))) {
            client.awaitFrame("connected");

            assertThat(Instant.parse(client.awaitFrame("token_expiring")
                            .data()
                            .path("expires_at")
                            .asString()))
                    .isEqualTo(expiresAt.truncatedTo(ChronoUnit.SECONDS));
            assertThat(client.awaitClose()).isEqualTo(1008);
            assertThat(client.closeReason()).isEqualTo("token expired");
        }
    }

    @Test
    void aTokenThatExpiredWithinTheClockSkewIsAcceptedEverywhereUntilTheSkewEnds() {
        long user = newUserId();
        Instant expiresAt = Instant.now().minusSeconds(10);
        String token = TestTokens.expiringAt(user, expiresAt);
        try (WsTestClient atHandshake = WsTestClient.connect(wsUri("token=" + token));
                WsTestClient byAuth = WsTestClient.connect(wsUri())) {
            byAuth.send("auth", Map.of("token", token));
            for (WsTestClient client : List.of(atHandshake, byAuth)) {
                assertThat(Instant.parse(client.awaitFrame("connected")
                                .data()
                                .path("token_expires_at")
                                .asString()))
                        .isEqualTo(expiresAt.truncatedTo(ChronoUnit.SECONDS));
                // Less than the warning time is left, so the warning comes at once; the close does not.
                client.awaitFrame("token_expiring");
            }

            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> !atHandshake.isClosed() && !byAuth.isClosed());
            atHandshake.send("ping", Map.of());
            atHandshake.awaitFrame("pong");
            // ... and it is closed once exp + skew has passed, 20 s from the start.
            assertThat(atHandshake.awaitClose()).isEqualTo(1008);
            assertThat(byAuth.awaitClose()).isEqualTo(1008);
            assertThat(byAuth.closeReason()).isEqualTo("token expired");
        }
    }

    @Test
    void aFreshTokenKeepsTheSessionOpenPastTheOldExpiry() {
        long user = newUserId();
        // Accepted until exp plus the 30 s clock skew: about 3 s from now.
        Instant oldAcceptedUntil = Instant.now().plusSeconds(3);
        try (WsTestClient client = WsTestClient.connect(
                wsUri("token=" + TestTokens.expiringAt(user, oldAcceptedUntil.minus(Duration.ofSeconds(30)))))) {
            client.awaitFrame("token_expiring");

            client.send("auth", Map.of("token", TestTokens.forUser(user)));
            client.awaitFrame("token_refreshed");

            await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(oldAcceptedUntil.plusSeconds(2)));
            client.send("ping", Map.of());
            client.awaitFrame("pong");
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void aTokenOfAnotherUserCannotTakeOverASession() {
        long user = newUserId();
        try (WsTestClient client = connect(user)) {
            client.send("auth", Map.of("token", TestTokens.forUser(newUserId())));

            WsTestClient.Frame refused = client.awaitFrame("error");
            assertThat(refused.data().path("code").asString()).isEqualTo("invalid_token");
            assertThat(refused.data().path("event").asString()).isEqualTo("auth");
            client.send("ping", Map.of());
            client.awaitFrame("pong");
        }
    }

    @Test
    void aDisallowedOriginIsRefusedWith403() {
        String token = TestTokens.forUser(newUserId());

        assertThatThrownBy(
                        () -> WsTestClient.connect(wsUri("token=" + token), Map.of("Origin", "https://evil.example")))
                .isInstanceOfSatisfying(
                        HandshakeRefused.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void anAllowedOriginIsAccepted() {
        long user = newUserId();
        try (WsTestClient client = WsTestClient.connect(
                wsUri("token=" + TestTokens.forUser(user)), Map.of("Origin", "http://allowed.example"))) {
            assertThat(client.awaitFrame("connected").data().path("user_id").asLong())
                    .isEqualTo(user);
        }
    }
}
