package org.erpchat.gateway.ws;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.ee11.servlet.ServletCoreRequest;
import org.eclipse.jetty.ee11.servlet.ServletCoreResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.exception.WebSocketException;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.RequestUpgradeStrategy;

/**
 * Finishes Spring's handshake on Jetty's core WebSocket API: Spring has checked the origin, run the interceptors
 * (token, drain) and chosen the subprotocol and extensions; this hands the connection to a {@link CoreWebSocket},
 * exactly as Jetty's own servlet containers do underneath their APIs. On another container (Tomcat) every call goes to
 * the standard strategy it wraps.
 */
final class JettyCoreUpgradeStrategy implements RequestUpgradeStrategy {

    private static final String[] VERSIONS = {"13"};
    private static final List<WebSocketExtension> DEFLATE = List.of(new WebSocketExtension("permessage-deflate"));

    private final RequestUpgradeStrategy otherContainers;
    private final boolean compression;
    private final Limits limits;
    private final Configuration.ConfigurationCustomizer configuration = new Configuration.ConfigurationCustomizer();

    /**
     * @param maxTextBytes the largest text message (and frame) a client may send
     * @param maxBinaryBytes the largest binary message (the protocol has none; it is answered with an error)
     * @param idleTimeout Jetty closes a connection that received nothing for this long (a backstop: the keepalive
     *     sweep closes quiet connections first)
     */
    record Limits(int maxTextBytes, int maxBinaryBytes, Duration idleTimeout) {}

    JettyCoreUpgradeStrategy(RequestUpgradeStrategy otherContainers, boolean compression, Limits limits) {
        this.otherContainers = otherContainers;
        this.compression = compression;
        this.limits = limits;
        configuration.setMaxTextMessageSize(limits.maxTextBytes());
        configuration.setMaxBinaryMessageSize(limits.maxBinaryBytes());
        configuration.setMaxFrameSize(Math.max(limits.maxTextBytes(), limits.maxBinaryBytes()));
        configuration.setIdleTimeout(limits.idleTimeout());
    }

    @Override
    public String[] getSupportedVersions() {
        return VERSIONS.clone();
    }

    @Override
    public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
        if (jettyRequest(request) == null) {
            return otherContainers.getSupportedExtensions(request);
        }
        return compression ? DEFLATE : List.of();
    }

    @Override
    public void upgrade(
            ServerHttpRequest request,
            ServerHttpResponse response,
            String selectedProtocol,
            List<WebSocketExtension> selectedExtensions,
            Principal user,
            WebSocketHandler handler,
            Map<String, Object> attributes)
            throws HandshakeFailureException {
        HttpServletRequest servletRequest = jettyRequest(request);
        if (servletRequest == null) {
            otherContainers.upgrade(request, response, selectedProtocol, selectedExtensions, user, handler, attributes);
            return;
        }
        HttpServletResponse servletResponse = ((ServletServerHttpResponse) response).getServletResponse();
        CoreWebSocket socket = new CoreWebSocket(
                handler, attributes, user, selectedProtocol, limits.maxTextBytes(), limits.maxBinaryBytes());
        List<ExtensionConfig> extensions = selectedExtensions.stream()
                .map(extension -> new ExtensionConfig(extension.getName(), extension.getParameters()))
                .toList();
        WebSocketNegotiator negotiator = WebSocketNegotiator.from(
                (upgradeRequest, upgradeResponse, callback) -> {
                    upgradeResponse.setAcceptedSubProtocol(selectedProtocol);
                    upgradeResponse.setExtensions(extensions);
                    return socket;
                },
                (websocket, upgradeRequest, upgradeResponse) -> (FrameHandler) websocket);
        WebSocketMappings mappings = WebSocketMappings.ensureMappings(
                ServletContextHandler.getServletContextHandler(servletRequest.getServletContext()));
        Request coreRequest = ServletCoreRequest.wrap(servletRequest);
        Response coreResponse = ServletCoreResponse.wrap(coreRequest, servletResponse, false);
        try (Blocker.Callback upgraded = Blocker.callback()) {
            if (!mappings.upgrade(negotiator, coreRequest, coreResponse, upgraded, configuration)) {
                throw new HandshakeFailureException("Jetty did not accept the request as a WebSocket upgrade");
            }
            upgraded.block();
        } catch (IOException | WebSocketException e) {
            throw new HandshakeFailureException("WebSocket upgrade failed: " + e.getMessage(), e);
        }
    }

    /** The servlet request when the container is Jetty, null otherwise. */
    private static HttpServletRequest jettyRequest(ServerHttpRequest request) {
        if (request instanceof ServletServerHttpRequest servlet
                && ServletContextRequest.getServletContextRequest(servlet.getServletRequest()) != null) {
            return servlet.getServletRequest();
        }
        return null;
    }
}
