package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The gateways' batch calls while the ERP's key server (RS256, a JWK set URI) does not answer, against PostgreSQL: a
 * user whose token could not be checked is answered {@code unavailable} (the gateway retries), not
 * {@code token_rejected} (which closes the user's connection as if the token had expired); once one token of a batch
 * could not be checked the rest are not tried, and a token refused before that is still refused.
 */
class KeyServerOutageBatchTest extends MessageServiceTest {

    @Test
    void tokensThatCannotBeCheckedAreUnavailableInBothBatches() throws Exception {
        KeyPair known = rsaKeys();
        KeyPair rotated = rsaKeys();
        AtomicBoolean keyServerUp = new AtomicBoolean(true);
        byte[] keys = new JWKSet(new RSAKey.Builder((RSAPublicKey) known.getPublic())
                        .keyID("k1")
                        .build())
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        HttpServer keyServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keyServer.createContext("/jwks", exchange -> {
            boolean up = keyServerUp.get();
            exchange.sendResponseHeaders(up ? 200 : 500, up ? keys.length : -1);
            if (up) {
                exchange.getResponseBody().write(keys);
            }
            exchange.close();
        });
        keyServer.start();

        Map<String, String> settings = new HashMap<>(infrastructure.springProperties());
        settings.put("server.port", "0");
        // Only the web side: this second instance must not take Kafka partitions or outbox rows from the first.
        settings.put("spring.kafka.listener.auto-startup", "false");
        settings.put("chat.message.outbox.enabled", "false");
        settings.put("chat.kafka.topics.create", "false");
        settings.put("spring.datasource.hikari.maximum-pool-size", "4");
        settings.put("chat.security.jwt.algorithm", "RS256");
        settings.put(
                "chat.security.jwt.jwk-set-uri",
                "http://127.0.0.1:" + keyServer.getAddress().getPort() + "/jwks");
        settings.put("chat.security.jwt.key-server-timeout", "2s");
        String[] arguments = settings.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
        try (ConfigurableApplicationContext instance = new SpringApplicationBuilder(MessageServiceApplication.class)
                .profiles("test")
                .run(arguments)) {
            Api api = new Api(
                    ((WebServerApplicationContext) instance).getWebServer().getPort());
            long caller = newUserId();
            long peer = newUserId();
            String callerToken = sign(known, "k1", caller);
            // While the key server answers: the caller's token is checked (and remembered), and it has a contact.
            assertThat(api.withToken(callerToken).get("/api/users/me").status()).isEqualTo(200);
            assertThat(api.withToken(sign(known, "k1", peer))
                            .get("/api/users/me")
                            .status())
                    .isEqualTo(200);
            Api.Response hello = api.withToken(callerToken)
                    .post("/api/messages/private", Api.body("receiver_id", peer, "content", "hello"));
            assertThat(hello.status()).as(hello.toString()).isEqualTo(201);

            keyServerUp.set(false);
            // Signed with a key the service has not seen: only the key server could tell whether it is good.
            String rotatedToken = sign(rotated, "k2", peer);

            Api.Response contacts = api.withToken(callerToken)
                    .post(
                            "/api/contacts/batch",
                            Map.of("tokens", List.of("not-a-token", callerToken, rotatedToken, callerToken)));
            assertThat(contacts.status()).as(contacts.toString()).isEqualTo(200);
            List<JsonNode> answers =
                    contacts.body().get("results").valueStream().toList();
            assertThat(answers.get(0).get("error").asString()).isEqualTo("token_rejected");
            assertThat(answers.get(1).get("user_ids").valueStream().map(JsonNode::asLong))
                    .containsExactly(peer);
            assertThat(answers.get(2).get("error").asString()).isEqualTo("unavailable");
            // Not tried after the first that could not be checked: each try could wait for the key server again.
            assertThat(answers.get(3).get("error").asString()).isEqualTo("unavailable");

            Api.Response sync = api.withToken(callerToken)
                    .post(
                            "/api/sync/batch",
                            Map.of(
                                    "requests",
                                    List.of(
                                            Map.of("token", "not-a-token", "positions", Map.of(), "limit", 10),
                                            Map.of("token", callerToken, "positions", Map.of(), "limit", 10),
                                            Map.of("token", rotatedToken, "positions", Map.of(), "limit", 10),
                                            Map.of("token", callerToken, "positions", Map.of(), "limit", 10))));
            assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
            List<JsonNode> pages = sync.body().get("results").valueStream().toList();
            assertThat(pages.get(0).get("error").asString()).isEqualTo("token_rejected");
            assertThat(pages.get(1).get("user_id").asLong()).isEqualTo(caller);
            assertThat(pages.get(1)
                            .get("messages")
                            .valueStream()
                            .map(message -> message.get("content").asString()))
                    .containsExactly("hello");
            assertThat(pages.get(2).get("error").asString()).isEqualTo("unavailable");
            assertThat(pages.get(3).get("error").asString()).isEqualTo("unavailable");
        } finally {
            keyServer.stop(0);
        }
    }

    private static String sign(KeyPair keys, String keyId, long userId) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(),
                new JWTClaimsSet.Builder()
                        .subject(Long.toString(userId))
                        .claim("name", "User " + userId)
                        .issueTime(Date.from(Instant.now()))
                        .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                        .build());
        jwt.sign(new RSASSASigner(keys.getPrivate()));
        return jwt.serialize();
    }

    private static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
