package org.erpchat.support.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.erpchat.support.web.ProblemCodes;
import org.erpchat.support.web.ProblemResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * What the bearer-token filter answers when a token does not authenticate. A token that could not be checked at all
 * (the decoder failed for a reason of its own, not the token's: the key server of an RS256 configuration did not
 * answer, see {@link UncheckedTokens}) is 503 {@code unavailable} with {@code Retry-After}: the token may be fine, and
 * the client should send it again later, not get a new one. Everything else is as Spring Security's default: a refused
 * token goes to the entry point (401), any other failure of the authentication machinery is rethrown (500).
 */
public class ProblemAuthenticationFailureHandler implements AuthenticationFailureHandler {

    /** Seconds a client is asked to wait before it sends the same token again. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final AuthenticationFailureHandler refused;

    public ProblemAuthenticationFailureHandler(AuthenticationEntryPoint entryPoint) {
        this.refused = new AuthenticationEntryPointFailureHandler(entryPoint);
    }

    @Override
    public void onAuthenticationFailure(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException, ServletException {
        if (!unchecked(exception)) {
            refused.onAuthenticationFailure(request, response, exception);
            return;
        }
        // Logged once per outage with a count where the decoder failed (UncheckedTokens), not once per request here.
        response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        ProblemResponses.write(
                request,
                response,
                HttpStatus.SERVICE_UNAVAILABLE,
                ProblemCodes.UNAVAILABLE,
                "The token could not be checked; retry later");
    }

    /**
     * Whether the token could not be checked: Spring's provider turns a {@link BadJwtException} (the token's fault)
     * into a 401 exception, and any other {@link JwtException} (the decoder's own) into an
     * {@link AuthenticationServiceException} that carries it.
     */
    static boolean unchecked(AuthenticationException exception) {
        return exception instanceof AuthenticationServiceException
                && exception.getCause() instanceof JwtException cause
                && !(cause instanceof BadJwtException);
    }
}
