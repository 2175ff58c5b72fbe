package org.erpchat.support.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.erpchat.support.web.ProblemCodes;
import org.erpchat.support.web.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/** 401 with the standard {@code WWW-Authenticate: Bearer} header and a problem-detail body. */
public class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        bearer.commence(request, response, exception);
        String detail = request.getHeader("Authorization") == null
                ? "A bearer token is required"
                : "The bearer token is invalid or expired";
        ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED, detail);
    }
}
