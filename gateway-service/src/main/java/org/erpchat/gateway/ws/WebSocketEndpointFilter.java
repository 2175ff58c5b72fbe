package org.erpchat.gateway.ws;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.erpchat.gateway.auth.TokenQueryParameter;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * The first filter on {@code /ws}: it takes the seed's {@code ?token=} off the request ({@link TokenQueryParameter})
 * and hands a handshake on {@code /ws} straight to Spring's WebSocket request handler, with its handshake handler and
 * interceptors (origin check, token check). The filters and the servlet behind it have nothing to decide for a
 * handshake (character encoding, HTTP observation, form content, request context, the security chain's firewall,
 * Jetty's upgrade filter, the dispatcher's handler mappings) and cost a tenth of the gateway's CPU in a reconnect storm
 * (docs/benchmarks.md §5). Other paths under {@code /ws} go on down the chain, without the token.
 */
final class WebSocketEndpointFilter implements Filter {

    static final String PATH = "/ws";

    private final WebSocketHttpRequestHandler endpoint;

    WebSocketEndpointFilter(WebSocketHttpRequestHandler endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
            chain.doFilter(servletRequest, response);
            return;
        }
        HttpServletRequest request = TokenQueryParameter.moveToAttribute(http);
        if (request.getRequestURI().equals(request.getContextPath() + PATH)) {
            endpoint.handleRequest(request, out);
        } else {
            chain.doFilter(request, response);
        }
    }
}
