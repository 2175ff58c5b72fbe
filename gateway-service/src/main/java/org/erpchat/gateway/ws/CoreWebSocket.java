package org.erpchat.gateway.ws;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One WebSocket connection on Jetty's core API, which Spring's handler sees as an ordinary {@link WebSocketSession}.
 * It replaces two layers per connection (the Jakarta endpoint with its registered decoders, encoders, message
 * handlers and retained upgrade request, and Spring's adapter session with its copy of the handshake headers): an idle
 * connection holds this object, Jetty's core session and our {@code ChatSession}, nothing else. The handshake
 * headers are not kept; the handshake attributes (what the interceptors put there) are.
 *
 * <p>Frames arrive one at a time (Jetty never calls {@link #onFrame} concurrently for one connection) and the next is
 * asked for only once this one is handled. A text message split into fragments is assembled up to the text limit
 * (beyond it: close 1009); text that is not valid UTF-8 closes the connection with 1007.
 */
final class CoreWebSocket implements FrameHandler, WebSocketSession {

    private static final AtomicLong IDS = new AtomicLong();

    private final WebSocketHandler handler;
    private final Map<String, Object> attributes;
    private final Principal principal;
    private final String acceptedProtocol;
    private final String id = Long.toString(IDS.incrementAndGet());
    private volatile CoreSession core;
    /** Set when the session's frames go straight to the socket: then every write of this connection goes through it. */
    private volatile ConnectionWrites writes;

    private volatile int textLimit;
    private volatile int binaryLimit;
    /** The fragments of a message that is not complete yet; null between messages. */
    private Fragments fragments;

    CoreWebSocket(
            WebSocketHandler handler,
            Map<String, Object> attributes,
            Principal principal,
            String acceptedProtocol,
            int textLimit,
            int binaryLimit) {
        this.handler = handler;
        this.attributes = attributes;
        this.principal = principal;
        this.acceptedProtocol = acceptedProtocol;
        this.textLimit = textLimit;
        this.binaryLimit = binaryLimit;
    }

    CoreSession coreSession() {
        return core;
    }

    /** From now on every frame this connection sends waits its turn in {@code writes}. */
    void writeThrough(ConnectionWrites writes) {
        this.writes = writes;
    }

    private void send(Frame frame, Callback callback) {
        ConnectionWrites through = writes;
        if (through != null) {
            through.frame(frame, callback);
        } else {
            core.sendFrame(frame, callback, false);
        }
    }

    // ---- FrameHandler: Jetty calls these

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.core = coreSession;
        try {
            handler.afterConnectionEstablished(this);
        } catch (Throwable failure) {
            callback.failed(failure);
            return;
        }
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        try {
            switch (frame.getOpCode()) {
                case OpCode.TEXT, OpCode.BINARY -> {
                    fragments = new Fragments(frame.getOpCode());
                    append(frame);
                }
                case OpCode.CONTINUATION -> append(frame);
                case OpCode.PING -> {
                    pong(frame, callback);
                    return;
                }
                case OpCode.PONG -> handler.handleMessage(this, new PongMessage(frame.getPayload()));
                case OpCode.CLOSE -> {
                    // Jetty answers the close; no more frames will be read.
                    callback.succeeded();
                    return;
                }
                default -> {
                    // Jetty's parser rejects unknown opcodes before they get here.
                }
            }
        } catch (Throwable failure) {
            // Jetty closes the connection with the code the failure maps to (1007, 1009, or 1011).
            callback.failed(failure);
            return;
        }
        callback.succeeded();
        core.demand();
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        try {
            handler.handleTransportError(this, cause);
            callback.succeeded();
        } catch (Throwable failure) {
            callback.failed(failure);
        }
    }

    @Override
    public void onClosed(org.eclipse.jetty.websocket.core.CloseStatus status, Callback callback) {
        try {
            handler.afterConnectionClosed(this, new CloseStatus(status.getCode(), status.getReason()));
            callback.succeeded();
        } catch (Throwable failure) {
            callback.failed(failure);
        }
    }

    private void append(Frame frame) throws Exception {
        Fragments message = fragments;
        if (message == null) {
            throw new BadPayloadException("a continuation frame without a message to continue");
        }
        int limit = message.opCode == OpCode.TEXT ? textLimit : binaryLimit;
        message.add(frame.getPayload(), limit);
        if (!frame.isFin()) {
            return;
        }
        fragments = null;
        if (message.opCode == OpCode.TEXT) {
            handler.handleMessage(this, new TextMessage(message.text()));
        } else {
            handler.handleMessage(this, new BinaryMessage(message.bytes()));
        }
    }

    private void pong(Frame ping, Callback callback) {
        Frame pong = new Frame(OpCode.PONG).setPayload(ping.getPayload());
        send(
                pong,
                Callback.from(
                        () -> {
                            callback.succeeded();
                            core.demand();
                        },
                        callback::failed));
    }

    /** A message's payload as its frames arrive; almost every message is a single frame, copied once. */
    private static final class Fragments {

        private final byte opCode;
        private byte[] bytes = new byte[0];
        private int size;

        Fragments(byte opCode) {
            this.opCode = opCode;
        }

        void add(ByteBuffer payload, int limit) {
            int length = payload.remaining();
            if ((long) size + length > limit) {
                throw new MessageTooLargeException("message larger than " + limit + " bytes");
            }
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + length, Math.min(limit, bytes.length * 2)));
            }
            payload.slice().get(bytes, size, length);
            size += length;
        }

        String text() {
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .decode(ByteBuffer.wrap(bytes, 0, size))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new BadPayloadException("text that is not valid UTF-8");
            }
        }

        byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }

    // ---- WebSocketSession: what Spring's handler and our code see

    @Override
    public String getId() {
        return id;
    }

    /** The handshake's URI, query string included (it may hold the token: never log it). */
    @Override
    public URI getUri() {
        return core == null ? null : core.getRequestURI();
    }

    /** Not kept: an idle connection should not hold a copy of every header its handshake had. */
    @Override
    public HttpHeaders getHandshakeHeaders() {
        return HttpHeaders.readOnlyHttpHeaders(new HttpHeaders());
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public Principal getPrincipal() {
        return principal;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return core == null ? null : inet(core.getLocalAddress());
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return core == null ? null : inet(core.getRemoteAddress());
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    @Override
    public String getAcceptedProtocol() {
        return acceptedProtocol;
    }

    @Override
    public void setTextMessageSizeLimit(int limit) {
        textLimit = limit;
    }

    @Override
    public int getTextMessageSizeLimit() {
        return textLimit;
    }

    @Override
    public void setBinaryMessageSizeLimit(int limit) {
        binaryLimit = limit;
    }

    @Override
    public int getBinaryMessageSizeLimit() {
        return binaryLimit;
    }

    @Override
    public List<WebSocketExtension> getExtensions() {
        return core == null
                ? List.of()
                : core.getNegotiatedExtensions().stream()
                        .map(extension -> new WebSocketExtension(extension.getName(), extension.getParameters()))
                        .toList();
    }

    /** Sends one message and waits until it is written; the gateway's own writes never wait ({@code JettyCoreConnection}). */
    @Override
    public void sendMessage(WebSocketMessage<?> message) throws java.io.IOException {
        Frame frame;
        if (message instanceof TextMessage text) {
            frame = new Frame(OpCode.TEXT, text.getPayload());
        } else if (message instanceof BinaryMessage binary) {
            frame = new Frame(OpCode.BINARY, binary.getPayload());
        } else if (message instanceof PingMessage ping) {
            frame = new Frame(OpCode.PING, ping.getPayload());
        } else if (message instanceof PongMessage pong) {
            frame = new Frame(OpCode.PONG, pong.getPayload());
        } else {
            throw new IllegalArgumentException("unsupported message " + message.getClass());
        }
        try (Blocker.Callback written = Blocker.callback()) {
            send(frame, written);
            written.block();
        }
    }

    @Override
    public boolean isOpen() {
        CoreSession session = core;
        return session != null && session.isOutputOpen();
    }

    @Override
    public void close() {
        close(CloseStatus.NORMAL);
    }

    @Override
    public void close(CloseStatus status) {
        ConnectionWrites through = writes;
        if (through != null) {
            through.close(status.getCode(), status.getReason(), Callback.NOOP);
        } else {
            core.close(status.getCode(), status.getReason(), Callback.NOOP);
        }
    }

    @Override
    public String toString() {
        return "CoreWebSocket[" + id + "]";
    }
}
