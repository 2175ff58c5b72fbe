package org.erpchat.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.erpchat.support.security.JwtProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * docs/protocol.md §1: a gateway that is shutting down refuses new connections with HTTP 503, and so does one that
 * cannot check the token.
 */
class HandshakeAuthenticatorTest {

    @Test
    void aDrainingGatewayRefusesTheUpgradeWith503AndAProblemBody() throws Exception {
        // The drain is checked before the token: no verifier is needed to refuse.
        HandshakeAuthenticator authenticator = new HandshakeAuthenticator(null, () -> true, user -> false);
        MockHttpServletResponse servletResponse = new MockHttpServletResponse();

        assertThat(handshake(authenticator, new MockHttpServletRequest("GET", "/ws"), servletResponse))
                .isFalse();
        assertThat(servletResponse.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());
        assertThat(servletResponse.getContentAsString(StandardCharsets.UTF_8))
                .contains("\"status\":503")
                .contains("\"code\":\"shutting_down\"");
    }

    @Test
    void aTokenThatCannotBeCheckedIsRefusedWith503NotAs401() throws Exception {
        TokenVerifier verifier = new TokenVerifier(
                token -> {
                    throw new JwtException("Couldn't retrieve remote JWK set: connection refused");
                },
                null,
                new Binder(new MapConfigurationPropertySource(Map.of()))
                        .bindOrCreate("chat.security.jwt", JwtProperties.class));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/ws");
        request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer a.good.token");
        MockHttpServletResponse servletResponse = new MockHttpServletResponse();

        assertThat(handshake(
                        new HandshakeAuthenticator(verifier, () -> false, user -> false), request, servletResponse))
                .isFalse();
        assertThat(servletResponse.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());
        assertThat(servletResponse.getContentAsString(StandardCharsets.UTF_8))
                .contains("\"status\":503")
                .contains("\"code\":\"unavailable\"");
        assertThat(servletResponse.getHeader(HttpHeaders.WWW_AUTHENTICATE)).isNull();
    }

    /** Runs the handshake check on {@code request}; whether the upgrade may go on ({@code response} says why not). */
    private static boolean handshake(
            HandshakeAuthenticator authenticator, MockHttpServletRequest request, MockHttpServletResponse response)
            throws IOException {
        ServletServerHttpResponse serverResponse = new ServletServerHttpResponse(response);
        boolean proceed = authenticator.beforeHandshake(
                new ServletServerHttpRequest(request), serverResponse, null, new HashMap<>());
        serverResponse.flush();
        return proceed;
    }
}
