package org.erpchat.gateway.ws;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.erpchat.gateway.auth.HandshakeAuthenticator;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.ConnectOptions;
import org.erpchat.gateway.session.Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/** The {@code /ws} endpoint: binds each WebSocket to a {@link ChatSession} and hands frames to the dispatcher. */
class ChatWebSocketHandler extends AbstractWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(ChatWebSocketHandler.class);
    private static final String SESSION_ATTRIBUTE = "chat.session";

    private final SessionLifecycle lifecycle;
    private final ClientEventDispatcher dispatcher;
    private final GatewayProperties properties;
    private final GatewayMetrics metrics;
    private final Executor closer;
    private final Duration writeTimeout;

    ChatWebSocketHandler(
            SessionLifecycle lifecycle,
            ClientEventDispatcher dispatcher,
            GatewayProperties properties,
            GatewayMetrics metrics,
            Executor closer) {
        this.lifecycle = lifecycle;
        this.dispatcher = dispatcher;
        this.properties = properties;
        this.metrics = metrics;
        this.closer = closer;
        this.writeTimeout = WebSocketConfiguration.containerWriteTimeout(properties);
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession webSocket) {
        webSocket.setTextMessageSizeLimit(
                (int) properties.inbound().maxFrameSize().toBytes());
        ChatSession session = new ChatSession(
                UUID.randomUUID().toString(),
                JettyCoreConnection.of(webSocket, writeTimeout, closer),
                properties,
                metrics);
        webSocket.getAttributes().put(SESSION_ATTRIBUTE, session);
        Credentials credentials =
                (Credentials) webSocket.getAttributes().remove(HandshakeAuthenticator.CREDENTIALS_ATTRIBUTE);
        Object options = webSocket.getAttributes().remove(HandshakeAuthenticator.OPTIONS_ATTRIBUTE);
        lifecycle.opened(
                session, credentials, options instanceof ConnectOptions declared ? declared : ConnectOptions.NONE);
    }

    @Override
    protected void handleTextMessage(WebSocketSession webSocket, TextMessage message) {
        ChatSession session = session(webSocket);
        if (session != null) {
            session.touch();
            dispatcher.dispatch(session, message.getPayload());
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession webSocket, BinaryMessage message) {
        ChatSession session = session(webSocket);
        if (session != null) {
            session.touch();
            dispatcher.binary(session);
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession webSocket, PongMessage message) {
        ChatSession session = session(webSocket);
        if (session != null) {
            session.touch();
        }
    }

    @Override
    public void handleTransportError(WebSocketSession webSocket, Throwable exception) {
        // Resets and half-closed sockets are everyday events at the edge; the close that follows is what counts.
        log.debug("Transport error on {}: {}", session(webSocket), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession webSocket, CloseStatus status) {
        ChatSession session = session(webSocket);
        if (session != null) {
            lifecycle.closed(session, status);
        }
    }

    private static ChatSession session(WebSocketSession webSocket) {
        return (ChatSession) webSocket.getAttributes().get(SESSION_ATTRIBUTE);
    }
}
