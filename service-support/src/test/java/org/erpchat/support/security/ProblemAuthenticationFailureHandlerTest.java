package org.erpchat.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/** Which failures of the bearer-token filter are 503, 401 or 500, as Spring's provider reports them. */
class ProblemAuthenticationFailureHandlerTest {

    private final ProblemAuthenticationFailureHandler handler =
            new ProblemAuthenticationFailureHandler(new ProblemAuthenticationEntryPoint());
    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/things");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    ProblemAuthenticationFailureHandlerTest() {
        request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer a.good.token");
    }

    @Test
    void aDecoderThatFailedForAReasonOfItsOwnIs503WithRetryAfter() throws Exception {
        handler.onAuthenticationFailure(
                request,
                response,
                new AuthenticationServiceException(
                        "Couldn't retrieve remote JWK set", new JwtException("Couldn't retrieve remote JWK set")));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader(HttpHeaders.RETRY_AFTER))
                .isEqualTo(Integer.toString(ProblemAuthenticationFailureHandler.RETRY_AFTER_SECONDS));
        assertThat(response.getHeader(HttpHeaders.WWW_AUTHENTICATE)).isNull();
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString())
                .contains("\"code\":\"unavailable\"")
                .doesNotContain("a.good.token");
    }

    @Test
    void aRefusedTokenIs401AsEver() throws Exception {
        handler.onAuthenticationFailure(request, response, new InvalidBearerTokenException("Jwt expired"));

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        assertThat(response.getContentAsString()).contains("\"code\":\"unauthorized\"");
    }

    @Test
    void anyOtherFailureOfTheAuthenticationMachineryIsRethrownAsSpringSecurityDoes() {
        InternalAuthenticationServiceException bug =
                new InternalAuthenticationServiceException("converter failed", new IllegalStateException());

        assertThatThrownBy(() -> handler.onAuthenticationFailure(request, response, bug))
                .isSameAs(bug);
    }
}
