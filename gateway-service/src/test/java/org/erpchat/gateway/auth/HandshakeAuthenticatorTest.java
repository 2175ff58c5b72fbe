package org.erpchat.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** docs/protocol.md §1: a gateway that is shutting down refuses new connections with HTTP 503. */
class HandshakeAuthenticatorTest {

    @Test
    void aDrainingGatewayRefusesTheUpgradeWith503AndAProblemBody() throws Exception {
        // The drain is checked before the token: no verifier is needed to refuse.
        HandshakeAuthenticator authenticator = new HandshakeAuthenticator(null, () -> true);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/ws");
        MockHttpServletResponse servletResponse = new MockHttpServletResponse();
        ServletServerHttpResponse response = new ServletServerHttpResponse(servletResponse);

        boolean proceed =
                authenticator.beforeHandshake(new ServletServerHttpRequest(request), response, null, new HashMap<>());
        response.flush();

        assertThat(proceed).isFalse();
        assertThat(servletResponse.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());
        assertThat(servletResponse.getContentAsString(StandardCharsets.UTF_8))
                .contains("\"status\":503")
                .contains("\"code\":\"shutting_down\"");
    }
}
