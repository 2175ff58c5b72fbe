package org.erpchat.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.erpchat.support.security.JwtProperties.Algorithm;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class ChatJwtDecodersTest {

    static final JwtProperties.Cache NO_CACHE = new JwtProperties.Cache(0, Duration.ZERO);
    static final Duration KEY_SERVER_TIMEOUT = Duration.ofSeconds(5);

    private final JwtDecoder hs256 = ChatJwtDecoders.create(hs256Properties(null, null));
    private final UserIdClaim claim = new UserIdClaim(hs256Properties(null, null));

    @Test
    void acceptsAValidTokenAndReadsTheUserIdFromSub() {
        Jwt jwt = hs256.decode(TestTokens.forUser(42, "Lan"));

        assertThat(claim.user(jwt)).isEqualTo(new AuthenticatedUser(42, "Lan"));
    }

    @Test
    void acceptsAUserIdGivenAsAJsonNumber() {
        String token = TestTokens.withClaims(Map.of("sub", "x", "uid", 42), inOneHour());
        JwtProperties properties = keys(Algorithm.HS256, TestTokens.SECRET, null, null, "uid");

        Jwt jwt = ChatJwtDecoders.create(properties).decode(token);

        assertThat(new UserIdClaim(properties).user(jwt).id()).isEqualTo(42);
    }

    @Test
    void refusesExpiredTokensWrongSignaturesAndGarbage() {
        assertThatThrownBy(() ->
                        hs256.decode(TestTokens.expiringAt(42, Instant.now().minusSeconds(120))))
                .isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> hs256.decode(TestTokens.withWrongSignature(42)))
                .isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> hs256.decode("not.a.token")).isInstanceOf(JwtException.class);
    }

    @Test
    void refusesTokensWhoseUserIdIsNotAPositiveInteger() {
        for (Object sub : List.of("alice", "-3", "0", "12abc")) {
            String token = TestTokens.withClaims(Map.of("sub", sub), inOneHour());
            assertThatThrownBy(() -> hs256.decode(token)).as("sub %s", sub).isInstanceOf(JwtException.class);
        }
    }

    @Test
    void refusesTokensWithoutExpiry() {
        String noExpiry = TestTokens.withClaims(Map.of("sub", "42"), null);

        assertThatThrownBy(() -> hs256.decode(noExpiry))
                .isInstanceOf(JwtException.class)
                .hasMessageContaining("exp");
    }

    @Test
    void checksIssuerAndAudienceWhenConfigured() {
        JwtDecoder strict = ChatJwtDecoders.create(hs256Properties("https://erp.example", "chat"));

        String good = TestTokens.withClaims(
                Map.of("sub", "42", "iss", "https://erp.example", "aud", List.of("chat")), inOneHour());
        String wrongIssuer =
                TestTokens.withClaims(Map.of("sub", "42", "iss", "https://evil.example", "aud", "chat"), inOneHour());
        String wrongAudience = TestTokens.withClaims(
                Map.of("sub", "42", "iss", "https://erp.example", "aud", List.of("billing")), inOneHour());

        assertThat(strict.decode(good).getSubject()).isEqualTo("42");
        assertThatThrownBy(() -> strict.decode(wrongIssuer)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> strict.decode(wrongAudience)).isInstanceOf(JwtException.class);
    }

    @Test
    void verifiesRs256TokensWithAConfiguredPublicKey() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Resource publicKey = new ByteArrayResource(pem.getBytes(StandardCharsets.US_ASCII));
        JwtDecoder rs256 = ChatJwtDecoders.create(keys(Algorithm.RS256, null, null, publicKey));

        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.RS256),
                new JWTClaimsSet.Builder()
                        .subject("7")
                        .expirationTime(Date.from(inOneHour()))
                        .build());
        jwt.sign(new RSASSASigner(keys.getPrivate()));

        assertThat(rs256.decode(jwt.serialize()).getSubject()).isEqualTo("7");
        // An HS256 token signed with some secret must not pass an RS256 decoder.
        assertThatThrownBy(() -> rs256.decode(TestTokens.forUser(7))).isInstanceOf(JwtException.class);
    }

    @Test
    void aTokenThatCannotBeCheckedIsNoBadTokenUnlessItsClaimsAloneRefuseIt() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        JwtDecoder rs256 = ChatJwtDecoders.create(
                keys(Algorithm.RS256, null, URI.create("http://127.0.0.1:" + closedPort + "/jwks"), null));
        String good = rs256Token(keys, "7", inOneHour());
        String expired = rs256Token(keys, "7", Instant.now().minus(Duration.ofHours(1)));

        // Spring's decoder says "the token is bad" with BadJwtException; a plain JwtException is its own failure.
        assertThatThrownBy(() -> rs256.decode(good))
                .isInstanceOf(JwtException.class)
                .isNotInstanceOf(BadJwtException.class);
        // Expired whatever its signature: refused as it always is, "expired" for the gateway's token_expired.
        assertThatThrownBy(() -> rs256.decode(expired))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> rs256.decode("not.a.token")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> rs256.decode(TestTokens.forUser(7))).isInstanceOf(BadJwtException.class);
    }

    @Test
    void failsAtStartupOnAnUnusableConfiguration() {
        assertThatThrownBy(() -> ChatJwtDecoders.create(keys(Algorithm.HS256, "short", null, null)))
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> ChatJwtDecoders.create(keys(Algorithm.RS256, null, null, null)))
                .hasMessageContaining("jwk-set-uri");
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(hs256Properties(null, null).toString()).doesNotContain(TestTokens.SECRET);
        assertThat(keys(Algorithm.RS256, null, URI.create("https://erp.example/jwks"), null)
                        .toString())
                .contains("https://erp.example/jwks");
    }

    /** The given algorithm and keys, everything else as configured by default, without a cache. */
    private static JwtProperties keys(Algorithm algorithm, String secret, URI jwkSetUri, Resource publicKey) {
        return keys(algorithm, secret, jwkSetUri, publicKey, "sub");
    }

    /** The same, with the user id read from {@code userIdClaim}. */
    private static JwtProperties keys(
            Algorithm algorithm, String secret, URI jwkSetUri, Resource publicKey, String userIdClaim) {
        return new JwtProperties(
                algorithm,
                secret,
                jwkSetUri,
                publicKey,
                userIdClaim,
                "name",
                null,
                null,
                Duration.ofSeconds(30),
                NO_CACHE,
                KEY_SERVER_TIMEOUT);
    }

    private static String rs256Token(KeyPair keys, String subject, Instant expiresAt) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("erp-1").build(),
                new JWTClaimsSet.Builder()
                        .subject(subject)
                        .issueTime(Date.from(expiresAt.minus(Duration.ofHours(2))))
                        .expirationTime(Date.from(expiresAt))
                        .build());
        jwt.sign(new RSASSASigner(keys.getPrivate()));
        return jwt.serialize();
    }

    private static JwtProperties hs256Properties(String issuer, String audience) {
        return hs256Properties(issuer, audience, NO_CACHE);
    }

    static JwtProperties hs256Properties(String issuer, String audience, JwtProperties.Cache cache) {
        return new JwtProperties(
                Algorithm.HS256,
                TestTokens.SECRET,
                null,
                null,
                "sub",
                "name",
                issuer,
                audience,
                Duration.ofSeconds(30),
                cache,
                KEY_SERVER_TIMEOUT);
    }

    private static Instant inOneHour() {
        return Instant.now().plus(Duration.ofHours(1));
    }
}
