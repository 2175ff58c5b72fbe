package org.erpchat.gateway.ws;

import java.util.List;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Upgrades through the standard Jakarta WebSocket API (the same code on Jetty and Tomcat) and decides whether
 * permessage-deflate may be negotiated. It is off by default: it costs about 200 KB of native memory per connection
 * for chat frames of a few hundred bytes (measurements in docs/gateway-service.md).
 */
class ChatHandshakeHandler extends DefaultHandshakeHandler {

    private final boolean compression;

    ChatHandshakeHandler(boolean compression) {
        super(new StandardWebSocketUpgradeStrategy());
        this.compression = compression;
    }

    @Override
    protected List<WebSocketExtension> filterRequestedExtensions(
            ServerHttpRequest request, List<WebSocketExtension> requested, List<WebSocketExtension> supported) {
        return compression ? super.filterRequestedExtensions(request, requested, supported) : List.of();
    }
}
