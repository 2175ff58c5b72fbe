package org.erpchat.gateway.ws;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.session.SessionConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * A {@link SessionConnection} over the Jakarta WebSocket API, which every servlet container implements: frames go out
 * through the asynchronous remote, so a client that stops reading never holds a thread. On Jetty, {@link
 * JettyCoreConnection} writes frames more cheaply.
 */
class StandardConnection implements SessionConnection {

    private static final Logger log = LoggerFactory.getLogger(StandardConnection.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final WebSocketSession session;
    private final RemoteEndpoint.Async remote;
    private final Executor closer;

    StandardConnection(WebSocketSession session, Executor closer) {
        this.session = session;
        this.remote = nativeSession(session).getAsyncRemote();
        this.closer = closer;
    }

    static Session nativeSession(WebSocketSession session) {
        return ((NativeWebSocketSession) session).getNativeSession(Session.class);
    }

    /** Sends the frame's text: the container encodes it again for this socket, and writes each frame by itself. */
    @Override
    public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
        remote.sendText(frame.text(), result -> done.accept(result.isOK() ? null : result.getException()));
    }

    @Override
    public void ping() {
        try {
            remote.sendPing(EMPTY.duplicate());
        } catch (IOException | IllegalStateException e) {
            // A connection that cannot take a ping is closed by the idle timeout soon enough.
            log.debug("Ping failed: {}", e.toString());
        }
    }

    @Override
    public void close(CloseStatus status) {
        // Closing writes a close frame; never do that on a thread that delivers to other sessions.
        closer.execute(() -> {
            try {
                session.close(status);
            } catch (IOException | RuntimeException e) {
                log.debug("Close failed: {}", e.toString());
            }
        });
    }
}
