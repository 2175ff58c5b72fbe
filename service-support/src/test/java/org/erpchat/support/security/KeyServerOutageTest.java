package org.erpchat.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.erpchat.support.kafka.ChatKafkaAutoConfiguration;
import org.erpchat.support.kafka.ChatKafkaProducerAutoConfiguration;
import org.erpchat.support.web.ProblemExceptionHandler;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST services' filter chain over real HTTP with RS256 tokens verified by keys from a key server (a JWK set URI),
 * while that server does not answer: a token that cannot be checked is answered 503 {@code unavailable} with
 * {@code Retry-After}, not 401 (the token may be fine) nor 500, logged once with a count and never with the token; a
 * token that is refused whatever its signature is still 401.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeyServerOutageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ISSUER = "https://erp.example";
    private static final String KEY_ID = "erp-1";
    private static final Duration KEY_SERVER_TIMEOUT = Duration.ofSeconds(1);

    private final KeyPair keys = rsaKeys();
    private final KeyPair otherKeys = rsaKeys();
    private ConfigurableApplicationContext service;
    private KeyServer keyServer;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        if (keyServer != null) {
            keyServer.close();
        }
    }

    @Test
    void aValidTokenIs503WithRetryAfterWhileTheKeyServerRefusesConnections(CapturedOutput output) throws Exception {
        int port = startService(URI.create("http://127.0.0.1:" + freePort() + "/jwks"));
        String token = sign(keys, KEY_ID, claims(42, ISSUER, inOneHour()));

        for (int i = 0; i < 3; i++) {
            Response response = get(port, token);

            assertUnavailable(response);
        }

        assertLoggedOnceWithoutTheToken(output, token);
    }

    @Test
    void aValidTokenIs503WhenTheKeyServerAcceptsButNeverAnswers(CapturedOutput output) throws Exception {
        try (SilentKeyServer silent = new SilentKeyServer()) {
            int port = startService(silent.uri());
            String token = sign(keys, KEY_ID, claims(42, ISSUER, inOneHour()));

            // With Spring's default read timeout (30 s) the request would wait that long (the test client gives up
            // after 20 s and fails the test); with the configured one (1 s), the token is "not checked" at once.
            assertUnavailable(get(port, token));

            assertThat(silent.accepted()).isPositive();
            assertLoggedOnceWithoutTheToken(output, token);
        }
    }

    @Test
    void aValidTokenIs503WhileTheKeyServerAnswers500ThenPassesOnceItServesItsKeys(CapturedOutput output)
            throws Exception {
        keyServer = new KeyServer(new JWKSet(publicKey(keys, KEY_ID)));
        int port = startService(keyServer.uri());
        String token = sign(keys, KEY_ID, claims(42, ISSUER, inOneHour()));

        assertUnavailable(get(port, token));
        assertUnavailable(get(port, token));

        keyServer.up();
        Response recovered = get(port, token);

        assertThat(recovered.status()).as(recovered.toString()).isEqualTo(200);
        assertThat(recovered.body().get("user_id").asLong()).isEqualTo(42);
        assertLoggedOnceWithoutTheToken(output, token);
        assertThat(output.getAll()).contains("works again after 2 failures");
    }

    @Test
    void aTokenThatIsRefusedWhateverItsSignatureIsStill401WhileTheKeyServerIsDown(CapturedOutput output)
            throws Exception {
        int port = startService(URI.create("http://127.0.0.1:" + freePort() + "/jwks"));

        Map<String, String> refused = Map.of(
                "garbage", "not-a-jwt",
                "an HS256 token", TestTokens.forUser(42),
                "expired", sign(keys, KEY_ID, claims(42, ISSUER, Instant.now().minus(Duration.ofHours(1)))),
                "another issuer", sign(keys, KEY_ID, claims(42, "https://evil.example", inOneHour())),
                "no user id", sign(keys, KEY_ID, claims(0, ISSUER, inOneHour())));
        refused.forEach((what, token) -> assertUnauthorized(what, get(port, token)));
        assertUnauthorized("no token", get(port, null));

        // Only the key can tell a forged signature: until the key server answers, such a token cannot be checked.
        assertUnavailable(get(port, sign(otherKeys, KEY_ID, claims(42, ISSUER, inOneHour()))));
        refused.values().forEach(token -> assertThat(output.getAll()).doesNotContain(token));
    }

    @Test
    void withTheKeyServerUpBadTokensAre401AsEver() throws Exception {
        keyServer = new KeyServer(new JWKSet(publicKey(keys, KEY_ID)));
        keyServer.up();
        int port = startService(keyServer.uri());

        assertThat(get(port, sign(keys, KEY_ID, claims(42, ISSUER, inOneHour())))
                        .status())
                .isEqualTo(200);
        assertUnauthorized("forged", get(port, sign(otherKeys, KEY_ID, claims(42, ISSUER, inOneHour()))));
        assertUnauthorized("unknown key id", get(port, sign(otherKeys, "erp-2", claims(42, ISSUER, inOneHour()))));
        assertUnauthorized(
                "expired",
                get(port, sign(keys, KEY_ID, claims(42, ISSUER, Instant.now().minusSeconds(3600)))));
        assertUnauthorized(
                "another issuer", get(port, sign(keys, KEY_ID, claims(42, "https://evil.example", inOneHour()))));
        assertUnauthorized("garbage", get(port, "not-a-jwt"));
    }

    private static void assertUnavailable(Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("code").asString()).isEqualTo("unavailable");
        assertThat(response.body().get("type").asString()).isEqualTo("about:blank");
        assertThat(response.body().get("title").asString()).isEqualTo("Service Unavailable");
        assertThat(response.body().get("status").asInt()).isEqualTo(503);
        assertThat(response.body().get("instance").asString()).isEqualTo("/api/me");
        assertThat(response.body().get("detail").asString()).isNotBlank();
        assertThat(response.retryAfter()).as("Retry-After").isNotNull();
        assertThat(Long.parseLong(response.retryAfter())).isBetween(1L, 60L);
        assertThat(response.wwwAuthenticate()).as("WWW-Authenticate").isNull();
    }

    private static void assertUnauthorized(String what, Response response) {
        assertThat(response.status()).as("%s: %s", what, response).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("code").asString()).isEqualTo("unauthorized");
        assertThat(response.wwwAuthenticate()).startsWith("Bearer");
    }

    private static void assertLoggedOnceWithoutTheToken(CapturedOutput output, String token) {
        String logged = output.getAll();
        assertThat(logged).doesNotContain(token);
        // Not even its signature, which alone would let nobody forge anything, but is no business of a log.
        assertThat(logged).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        assertThat(logged.lines().filter(line -> line.contains(" WARN ") && line.contains("JWK set")))
                .as("WARN lines about the key server")
                .hasSize(1);
        assertThat(logged.lines().filter(line -> line.contains(" ERROR ")))
                .as("ERROR lines")
                .isEmpty();
    }

    private int startService(URI jwkSetUri) {
        service = new SpringApplicationBuilder(RestService.class)
                .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        "spring.main.banner-mode=off",
                        "chat.security.jwt.algorithm=RS256",
                        "chat.security.jwt.jwk-set-uri=" + jwkSetUri,
                        "chat.security.jwt.issuer=" + ISSUER,
                        "chat.security.jwt.key-server-timeout=" + KEY_SERVER_TIMEOUT.toMillis() + "ms")
                .run();
        return Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
    }

    private static Response get(int port, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/me"))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("WWW-Authenticate").orElse(null),
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, String contentType, String wwwAuthenticate, String retryAfter, String text) {
        JsonNode body() {
            return JSON.readTree(text);
        }
    }

    private static JWTClaimsSet claims(long userId, String issuer, Instant expiresAt) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .issueTime(Date.from(expiresAt.minus(Duration.ofHours(2))))
                .expirationTime(Date.from(expiresAt))
                .claim("name", "User " + userId);
        if (userId > 0) {
            claims.subject(Long.toString(userId));
        }
        return claims.build();
    }

    private static String sign(KeyPair keys, String keyId, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
            jwt.sign(new RSASSASigner(keys.getPrivate()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey publicKey(KeyPair keys, String keyId) {
        return new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID(keyId).build();
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant inOneHour() {
        return Instant.now().plus(Duration.ofHours(1));
    }

    /** A port nothing listens on (connections to it are refused). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The ERP's key server: answers 500 until {@link #up()}, then its JWK set. */
    static final class KeyServer implements AutoCloseable {

        private final HttpServer server;
        private final String keySet;
        private volatile boolean up;

        KeyServer(JWKSet keys) throws IOException {
            this.keySet = keys.toString();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/jwks", exchange -> {
                byte[] body = (up ? keySet : "{\"error\":\"overloaded\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(up ? 200 : 500, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
        }

        void up() {
            up = true;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** A REST service as message-service and presence-service are: service-support's chain and problem details. */
    @SpringBootConfiguration
    @EnableAutoConfiguration(
            exclude = {ChatKafkaAutoConfiguration.class, ChatKafkaProducerAutoConfiguration.class},
            excludeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
    @Import({MeController.class, ApiExceptionHandler.class})
    static class RestService {}

    @RestController
    static class MeController {

        @GetMapping("/api/me")
        Map<String, Object> me(@AuthenticationPrincipal AuthenticatedUser user) {
            return Map.of("user_id", user.id());
        }
    }

    @RestControllerAdvice
    static class ApiExceptionHandler extends ProblemExceptionHandler {}

    /** A key server that accepts connections and never answers, as a hung one does. */
    private static final class SilentKeyServer implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentKeyServer() throws IOException {
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(socket.accept());
                    }
                } catch (IOException closed) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/jwks");
        }

        int accepted() {
            return held.size();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (java.net.Socket connection : held) {
                connection.close();
            }
        }
    }
}
