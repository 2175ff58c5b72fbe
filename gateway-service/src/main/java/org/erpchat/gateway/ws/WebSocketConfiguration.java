package org.erpchat.gateway.ws;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.erpchat.gateway.auth.HandshakeAuthenticator;
import org.erpchat.gateway.auth.HandshakeRefusal;
import org.erpchat.gateway.auth.TokenVerifier;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.support.web.ProblemCodes;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Wires {@code /ws}: the endpoint filter (token off the query, then the handshake), origin check, token check, the
 * handler, the container's WebSocket limits, and the port's listen queue.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class WebSocketConfiguration implements DisposableBean {

    private final GatewayProperties properties;
    private final SessionLifecycle lifecycle;
    private final ClientEventDispatcher dispatcher;
    private final GatewayMetrics metrics;
    private final TokenVerifier verifier;
    private final GracefulDrain drain;
    private final SessionRegistry sessions;
    /**
     * Where connections are closed: off the threads that deliver to other sessions, and not on the shared task pool,
     * whose threads may all wait for message-service (typing, read markers): a close only starts Jetty's asynchronous
     * close, so one thread keeps up, and its queue is unbounded so that no close is ever refused. Not a bean: an
     * {@code Executor} bean would make Spring Boot leave out its own task pool ({@code applicationTaskExecutor}).
     */
    private final ExecutorService connectionCloser = Executors.newSingleThreadExecutor(closerThreads());

    WebSocketConfiguration(
            GatewayProperties properties,
            SessionLifecycle lifecycle,
            ClientEventDispatcher dispatcher,
            GatewayMetrics metrics,
            TokenVerifier verifier,
            GracefulDrain drain,
            SessionRegistry sessions) {
        this.properties = properties;
        this.lifecycle = lifecycle;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.verifier = verifier;
        this.drain = drain;
        this.sessions = sessions;
    }

    /**
     * Spring's WebSocket request handler for {@code /ws}, as {@code WebSocketHandlerRegistry} would build it, served by
     * {@link WebSocketEndpointFilter} rather than through the dispatcher servlet.
     */
    @Bean
    WebSocketHttpRequestHandler chatWebSocketEndpoint() {
        WebSocketHttpRequestHandler endpoint = new WebSocketHttpRequestHandler(
                new ChatWebSocketHandler(lifecycle, dispatcher, properties, metrics, connectionCloser),
                new ChatHandshakeHandler(properties.compression(), coreLimits(properties)));
        // Spring's origin check runs first and always: same-origin pages may connect, other origins only when listed
        // (cross-site WebSocket hijacking), and clients that send no Origin (not browsers) are not concerned.
        endpoint.setHandshakeInterceptors(List.of(
                originCheck(properties.allowedOrigins()),
                new HandshakeAuthenticator(verifier, drain::isDraining, sessions::refuses)));
        endpoint.start();
        return endpoint;
    }

    @Override
    public void destroy() {
        connectionCloser.shutdown();
    }

    private static CustomizableThreadFactory closerThreads() {
        CustomizableThreadFactory threads = new CustomizableThreadFactory("gateway-close-");
        threads.setDaemon(true);
        return threads;
    }

    static OriginHandshakeInterceptor originCheck(List<String> origins) {
        OriginHandshakeInterceptor check = new OriginHandshakeInterceptor() {
            @Override
            public boolean beforeHandshake(
                    ServerHttpRequest request,
                    ServerHttpResponse response,
                    WebSocketHandler handler,
                    Map<String, Object> attributes)
                    throws Exception {
                if (super.beforeHandshake(request, response, handler, attributes)) {
                    return true;
                }
                // Spring's refusal is a bare 403: give it the problem body every other refusal has.
                HandshakeRefusal.write(
                        response, HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "This origin may not connect");
                return false;
            }
        };
        if (origins.contains("*")) {
            check.setAllowedOriginPatterns(List.of("*"));
        } else {
            check.setAllowedOrigins(origins);
        }
        return check;
    }

    /**
     * The container's own write timeout. It must never fire first: a stuck write is ours to judge (the keepalive
     * sweep closes the session with 4001 once a write is stuck longer than {@code send-timeout}, counted as
     * {@code too_slow}), and the container's timeout is what then drops the socket of a client that reads nothing at
     * all and so never takes the close frame. Twice the send timeout plus one sweep: the socket is gone at most
     * {@code send-timeout} after the 4001 decision.
     */
    static Duration containerWriteTimeout(GatewayProperties properties) {
        return properties
                .outbound()
                .sendTimeout()
                .multipliedBy(2)
                .plus(properties.keepalive().sweepInterval());
    }

    /**
     * The protocol has no binary messages, but one is answered with {@code binary_not_supported} up to the size limit
     * every message has (docs/protocol.md §10), and only a larger one closes with 1009: a client that sends a few
     * kilobytes of binary by mistake learns what it did wrong instead of reading "message too big".
     */
    static int maxBinaryMessageBytes(GatewayProperties properties) {
        return (int) properties.inbound().maxFrameSize().toBytes();
    }

    /** The same limits as {@link #webSocketContainer()} gives the Jakarta container, for Jetty's core API. */
    static JettyCoreUpgradeStrategy.Limits coreLimits(GatewayProperties properties) {
        return new JettyCoreUpgradeStrategy.Limits(
                (int) properties.inbound().maxFrameSize().toBytes(),
                maxBinaryMessageBytes(properties),
                properties.keepalive().idleTimeout().multipliedBy(2));
    }

    /** Container-wide WebSocket defaults: the inbound frame limit, the write timeout, and an idle backstop. */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        int maxFrame = (int) properties.inbound().maxFrameSize().toBytes();
        container.setMaxTextMessageBufferSize(maxFrame);
        container.setMaxBinaryMessageBufferSize(maxBinaryMessageBytes(properties));
        container.setAsyncSendTimeout(containerWriteTimeout(properties).toMillis());
        // Our keepalive closes quiet connections first; this only catches what it might miss.
        container.setMaxSessionIdleTimeout(
                properties.keepalive().idleTimeout().multipliedBy(2).toMillis());
        return container;
    }

    @Bean
    AcceptQueue acceptQueue() {
        return new AcceptQueue(properties.acceptQueueSize());
    }

    @Bean
    FilterRegistrationBean<WebSocketEndpointFilter> webSocketEndpointFilter(
            WebSocketHttpRequestHandler chatWebSocketEndpoint) {
        FilterRegistrationBean<WebSocketEndpointFilter> registration =
                new FilterRegistrationBean<>(new WebSocketEndpointFilter(chatWebSocketEndpoint));
        registration.addUrlPatterns(WebSocketEndpointFilter.PATH, WebSocketEndpointFilter.PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
