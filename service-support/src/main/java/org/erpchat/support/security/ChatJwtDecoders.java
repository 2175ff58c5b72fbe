package org.erpchat.support.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

/** Builds the {@link JwtDecoder} described by {@link JwtProperties}, failing at startup on an unusable setup. */
public final class ChatJwtDecoders {

    static final int MIN_SECRET_BYTES = 32;
    /** At most one line per interval while tokens cannot be checked ({@link UncheckedTokens}). */
    static final Duration FAULT_LOG_INTERVAL = Duration.ofMinutes(1);

    private ChatJwtDecoders() {}

    public static JwtDecoder create(JwtProperties properties) {
        return create(properties, Clock.systemUTC());
    }

    /** {@link #create(JwtProperties)} checking {@code exp} and {@code nbf} against {@code clock}. */
    static JwtDecoder create(JwtProperties properties, Clock clock) {
        NimbusJwtDecoder decoder = switch (properties.algorithm()) {
            case HS256 -> hs256(properties);
            case RS256 -> rs256(properties);
        };
        OAuth2TokenValidator<Jwt> validator = validator(properties, clock);
        decoder.setJwtValidator(validator);
        JwtDecoder checked = new UncheckedTokens(decoder, validator, keys(properties), FAULT_LOG_INTERVAL);
        JwtProperties.Cache cache = properties.cache();
        if (cache.maxTokens() == 0 || cache.ttl().isZero()) {
            return checked;
        }
        return new VerifiedTokens(checked, validator, cache.maxTokens(), cache.ttl());
    }

    /** Where the keys come from, for the log line that says they could not be had. */
    private static String keys(JwtProperties properties) {
        if (properties.algorithm() == JwtProperties.Algorithm.RS256 && properties.jwkSetUri() != null) {
            return "the JWK set at " + properties.jwkSetUri();
        }
        return "the configured " + properties.algorithm() + " key";
    }

    private static NimbusJwtDecoder hs256(JwtProperties properties) {
        String secret = properties.secret();
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("chat.security.jwt.secret must be set to at least " + MIN_SECRET_BYTES
                    + " bytes when chat.security.jwt.algorithm is HS256");
        }
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        return NimbusJwtDecoder.withSecretKey(key)
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
    }

    private static NimbusJwtDecoder rs256(JwtProperties properties) {
        if (properties.jwkSetUri() != null) {
            // Spring's default client waits 30 s to connect and 30 s to read: a key server that hangs would hold the
            // request threads (a gateway's handshakes) that long.
            SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
            requests.setConnectTimeout(properties.keyServerTimeout());
            requests.setReadTimeout(properties.keyServerTimeout());
            return NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri().toString())
                    .jwsAlgorithm(SignatureAlgorithm.RS256)
                    .restOperations(new RestTemplate(requests))
                    .build();
        }
        if (properties.publicKey() != null) {
            return NimbusJwtDecoder.withPublicKey(readPublicKey(properties))
                    .signatureAlgorithm(SignatureAlgorithm.RS256)
                    .build();
        }
        throw new IllegalStateException(
                "chat.security.jwt.jwk-set-uri or chat.security.jwt.public-key must be set when the algorithm is RS256");
    }

    private static OAuth2TokenValidator<Jwt> validator(JwtProperties properties, Clock clock) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(properties.clockSkew());
        timestamps.setClock(clock);
        validators.add(timestamps);
        // Tokens without an expiry would be valid forever; the ERP's tokens always carry one.
        validators.add(new JwtClaimValidator<Object>("exp", exp -> exp != null));
        validators.add(userIdValidator(new UserIdClaim(properties)));
        validators.add(ChatJwtDecoders::scopesAreText);
        if (properties.issuer() != null && !properties.issuer().isBlank()) {
            validators.add(new JwtIssuerValidator(properties.issuer()));
        }
        if (properties.audience() != null && !properties.audience().isBlank()) {
            validators.add(new JwtClaimValidator<List<String>>(
                    "aud", aud -> aud != null && aud.contains(properties.audience())));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    /**
     * The scopes become authorities: a {@code scope} or {@code scp} claim that is a list of anything but strings would
     * fail that conversion on every request (a 500), so such a token is refused like any other invalid one.
     */
    private static OAuth2TokenValidatorResult scopesAreText(Jwt jwt) {
        for (String name : List.of("scope", "scp")) {
            if (jwt.getClaims().get(name) instanceof Collection<?> scopes
                    && !scopes.stream().allMatch(String.class::isInstance)) {
                return OAuth2TokenValidatorResult.failure(
                        new OAuth2Error("invalid_token", "The " + name + " claim must hold strings", null));
            }
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidator<Jwt> userIdValidator(UserIdClaim claim) {
        OAuth2Error error = new OAuth2Error(
                "invalid_token", "The " + claim.claimName() + " claim must hold a positive integer user id", null);
        return jwt -> claim.userId(jwt).isPresent()
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(error);
    }

    private static RSAPublicKey readPublicKey(JwtProperties properties) {
        try (InputStream in = properties.publicKey().getInputStream()) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replace("-----BEGIN PUBLIC KEY-----", "")
                    .replace("-----END PUBLIC KEY-----", "")
                    .replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(pem);
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chat.security.jwt.public-key", e);
        } catch (Exception e) {
            throw new IllegalStateException("chat.security.jwt.public-key is not an RSA public key in PEM form", e);
        }
    }
}
