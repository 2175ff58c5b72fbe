package org.erpchat.gateway.auth;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import org.erpchat.gateway.session.ConnectOptions;
import org.erpchat.gateway.session.Credentials;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Checks the token a client brings to the handshake, from {@code ?token=} (the seed's way) or an
 * {@code Authorization: Bearer} header. A bad or expired token refuses the upgrade with 401; no token at all lets the
 * connection open, and the client must then send {@code auth} first (the way browsers avoid tokens in URLs). A
 * draining gateway refuses with 503 so the client reconnects elsewhere. A user who holds as many sessions as allowed,
 * one of which was just closed to make room, is refused with 429 (docs/protocol.md §1).
 */
public class HandshakeAuthenticator implements HandshakeInterceptor {

    public static final String CREDENTIALS_ATTRIBUTE = "chat.credentials";
    /** What the client declared in the query string ({@code resume}, {@code presence_batch}): a ConnectOptions. */
    public static final String OPTIONS_ATTRIBUTE = "chat.options";

    private final TokenVerifier verifier;
    private final BooleanSupplier draining;
    private final LongPredicate overSessionLimit;

    /** @param overSessionLimit whether one more session of the user (by id) is refused now */
    public HandshakeAuthenticator(TokenVerifier verifier, BooleanSupplier draining, LongPredicate overSessionLimit) {
        this.verifier = verifier;
        this.draining = draining;
        this.overSessionLimit = overSessionLimit;
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (draining.getAsBoolean()) {
            refuse(response, HttpStatus.SERVICE_UNAVAILABLE, "shutting_down", "This gateway is shutting down");
            return false;
        }
        attributes.put(
                OPTIONS_ATTRIBUTE, ConnectOptions.fromQuery(request.getURI().getRawQuery()));
        String token = token(request);
        if (token == null) {
            return true;
        }
        try {
            Credentials credentials = verifier.verify(token);
            if (overSessionLimit.test(credentials.user().id())) {
                // Refused before the upgrade: a client that reconnects after every close (the seed's) sees a failed
                // attempt, and stops after a few, where an opened connection would restart its count.
                refuse(
                        response,
                        HttpStatus.TOO_MANY_REQUESTS,
                        "too_many_sessions",
                        "The user holds as many sessions on this gateway as allowed; close one first");
                return false;
            }
            attributes.put(CREDENTIALS_ATTRIBUTE, credentials);
            return true;
        } catch (TokenVerifier.RejectedToken e) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            refuse(
                    response,
                    HttpStatus.UNAUTHORIZED,
                    e.expired() ? "token_expired" : "invalid_token",
                    e.expired() ? "The token has expired" : "The token is invalid");
            return false;
        } catch (TokenVerifier.UncheckedToken e) {
            refuse(
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The token could not be checked; retry later");
            return false;
        }
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception exception) {}

    private static String token(ServerHttpRequest request) {
        if (request instanceof ServletServerHttpRequest servlet) {
            Object fromQuery = servlet.getServletRequest().getAttribute(TokenQueryParameter.TOKEN_ATTRIBUTE);
            if (fromQuery instanceof String text) {
                // Blank included: a client that put ?token= in its URL meant to give one (the seed's client before its
                // token loaded); 401 says so now, rather than a 1008 authentication timeout five seconds later.
                return text;
            }
        }
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        return null;
    }

    private static void refuse(ServerHttpResponse response, HttpStatus status, String code, String detail) {
        HandshakeRefusal.write(response, status, code, detail);
    }
}
