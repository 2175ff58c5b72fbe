package org.erpchat.gateway.ws;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Decides whether permessage-deflate may be negotiated, and upgrades on Jetty's core WebSocket API ({@link
 * JettyCoreUpgradeStrategy}), or through the standard Jakarta API on other containers (Tomcat). Compression is off by
 * default: it costs about 100 KB of native memory per connection for chat frames of a few hundred bytes
 * (measurements in docs/gateway-service.md).
 *
 * <p>On the Jakarta path, filtering the requested extensions is not enough by itself: Spring passes its selection to
 * the container as the endpoint's extensions, but the container then negotiates with the endpoint's configurator,
 * whose default (the container's) accepts every extension the client offers and the container has installed. So that
 * strategy also hands the container an endpoint configuration whose configurator agrees to Spring's selection only.
 */
class ChatHandshakeHandler extends DefaultHandshakeHandler {

    private final boolean compression;

    ChatHandshakeHandler(boolean compression, JettyCoreUpgradeStrategy.Limits limits) {
        super(new JettyCoreUpgradeStrategy(new SelectedExtensionsUpgradeStrategy(), compression, limits));
        this.compression = compression;
    }

    @Override
    protected List<WebSocketExtension> filterRequestedExtensions(
            ServerHttpRequest request, List<WebSocketExtension> requested, List<WebSocketExtension> supported) {
        return compression ? super.filterRequestedExtensions(request, requested, supported) : List.of();
    }

    /** The standard Jakarta strategy, with a container whose upgrades negotiate only the extensions Spring selected. */
    static final class SelectedExtensionsUpgradeStrategy extends StandardWebSocketUpgradeStrategy {

        @Override
        protected ServerContainer getContainer(HttpServletRequest request) {
            ServerContainer container = super.getContainer(request);
            return (ServerContainer) Proxy.newProxyInstance(
                    ServerContainer.class.getClassLoader(),
                    new Class<?>[] {ServerContainer.class},
                    (proxy, method, arguments) -> {
                        if (method.getName().equals("upgradeHttpToWebSocket")
                                && arguments[2] instanceof ServerEndpointConfig config) {
                            arguments[2] = new SelectedExtensionsOnly(config);
                        }
                        try {
                            return method.invoke(container, arguments);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
