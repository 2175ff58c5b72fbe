package org.erpchat.gateway.ws;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.erpchat.gateway.auth.TokenVerifier;
import org.erpchat.gateway.config.GatewayIdentity;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.presence.ConnectionEvents;
import org.erpchat.gateway.presence.PresenceWithoutBackends;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.support.security.JwtProperties;
import org.erpchat.support.security.UserIdClaim;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Real {@link SessionLifecycle}s for unit tests: everything but Kafka (connection events are not published) and the
 * backends presence and resumes would call.
 */
final class TestLifecycles {

    private TestLifecycles() {}

    static GatewayProperties properties() {
        return properties(Map.of());
    }

    /** The defaults, with {@code settings} (full property names) on top. */
    static GatewayProperties properties(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("chat.gateway.instance-id", "gateway-under-test");
        return new Binder(new MapConfigurationPropertySource(all))
                .bindOrCreate("chat.gateway", GatewayProperties.class);
    }

    static SessionLifecycle lifecycle(SessionRegistry sessions, TokenVerifier verifier, GatewayProperties properties) {
        ConnectionEvents connectionEvents =
                new ConnectionEvents(null, sessions, new GatewayIdentity(properties), properties) {
                    @Override
                    public void opened(ChatSession opened) {} // to Kafka, which these tests do not have

                    @Override
                    public void closed(ChatSession closed) {}
                };
        return new SessionLifecycle(
                sessions,
                verifier,
                connectionEvents,
                PresenceWithoutBackends.fanOut(sessions, properties),
                null, // typing: only a session's end involves it
                null, // resume windows: only a client that declares a resume involves them
                new ConnectionLog(sessions),
                new GatewayIdentity(properties),
                properties);
    }

    static TokenVerifier refusingEveryToken() {
        return decoderThrowing(new BadJwtException("bad signature"));
    }

    /** A verifier whose decoder cannot check any token: an RS256 key server that does not answer. */
    static TokenVerifier unableToCheckTokens() {
        return decoderThrowing(new JwtException("Couldn't retrieve remote JWK set: connection refused"));
    }

    private static TokenVerifier decoderThrowing(JwtException failure) {
        return new TokenVerifier(
                token -> {
                    throw failure;
                },
                null,
                jwt());
    }

    static TokenVerifier acceptingAnyTokenFor(long user) {
        return new TokenVerifier(
                token -> Jwt.withTokenValue(token)
                        .header("alg", "HS256")
                        .subject(Long.toString(user))
                        .expiresAt(Instant.now().plus(Duration.ofHours(1)))
                        .build(),
                new UserIdClaim(jwt()),
                jwt());
    }

    private static JwtProperties jwt() {
        return new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("chat.security.jwt", JwtProperties.class);
    }
}
