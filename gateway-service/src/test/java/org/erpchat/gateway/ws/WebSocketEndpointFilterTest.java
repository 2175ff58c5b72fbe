package org.erpchat.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.atomic.AtomicReference;
import org.erpchat.gateway.auth.TokenQueryParameter;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/** The first filter on /ws: the token leaves the query, a handshake on /ws is served there, other paths go on. */
class WebSocketEndpointFilterTest {

    private final WebSocketEndpointFilter filter = new WebSocketEndpointFilter(
            new WebSocketHttpRequestHandler(new TextWebSocketHandler(), new DefaultHandshakeHandler()));

    @Test
    void aRequestOnWsIsServedByTheWebSocketHandlerAndNeverReachesTheChain() throws Exception {
        MockHttpServletRequest request = get("/ws", "token=secret.jwt&resume=true");
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<ServletRequest> passedOn = new AtomicReference<>();

        filter.doFilter(request, response, (req, res) -> passedOn.set(req));

        assertThat(passedOn).hasNullValue();
        // Spring's handshake handler answered: a GET without the upgrade headers is not a handshake.
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(request.getAttribute(TokenQueryParameter.TOKEN_ATTRIBUTE)).isEqualTo("secret.jwt");
    }

    @Test
    void otherPathsGoOnDownTheChainWithoutTheToken() throws Exception {
        MockHttpServletRequest request = get("/ws/info", "a=1&token=secret.jwt&b=2");
        AtomicReference<ServletRequest> passedOn = new AtomicReference<>();

        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> passedOn.set(req));

        HttpServletRequest seen = (HttpServletRequest) passedOn.get();
        assertThat(seen).isNotNull();
        assertThat(seen.getQueryString()).isEqualTo("a=1&b=2");
        assertThat(seen.getParameter("token")).isNull();
        assertThat(seen.getParameterMap()).containsOnlyKeys("a", "b");
        assertThat(seen.getAttribute(TokenQueryParameter.TOKEN_ATTRIBUTE)).isEqualTo("secret.jwt");
    }

    @Test
    void aTokenWhoseNameIsPercentEncodedLeavesTheQueryToo() throws Exception {
        // The container decodes parameter names: %74oken is the token to getParameter, and must not stay in the query
        // string, which the handshake's request URI (and any log line printing it) is built from.
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/ws/info");
        request.setQueryString("a=1&%74oken=secret.jwt&b=%25zz&%zz=2");
        request.addParameter("a", "1");
        request.addParameter("token", "secret.jwt");
        AtomicReference<ServletRequest> passedOn = new AtomicReference<>();

        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> passedOn.set(req));

        HttpServletRequest seen = (HttpServletRequest) passedOn.get();
        assertThat(seen.getQueryString()).isEqualTo("a=1&b=%25zz&%zz=2");
        assertThat(seen.getParameter("token")).isNull();
        assertThat(seen.getAttribute(TokenQueryParameter.TOKEN_ATTRIBUTE)).isEqualTo("secret.jwt");
    }

    private static MockHttpServletRequest get(String path, String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setQueryString(query);
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            request.addParameter(parts[0], parts[1]);
        }
        return request;
    }
}
