package org.erpchat.gateway.ws;

import jakarta.websocket.Session;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.erpchat.gateway.protocol.TextFrame;
import org.springframework.web.socket.WebSocketSession;

/**
 * Writes frames through Jetty's core WebSocket session, under the Jakarta API that Spring's handshake sets up. The
 * Jakarta remote takes a {@code String} and encodes it to UTF-8 for every socket; here every socket is written from the
 * same pre-encoded bytes ({@link TextFrame}). Frames announced with {@code more} join Jetty's batch buffer and leave with
 * the next frame that is not, in one gathered write: a burst costs one system call per socket, not one per frame.
 *
 * <p>The container's write timeout ({@code asyncSendTimeout}) is applied to each frame as the Jakarta remote would.
 * Pings and closes go through the standard path.
 */
final class JettyCoreConnection extends StandardConnection {

    private final CoreSession core;
    private final long writeTimeoutMillis;

    private JettyCoreConnection(WebSocketSession session, Executor closer, JakartaWebSocketSession jetty) {
        super(session, closer);
        this.core = jetty.getCoreSession();
        this.writeTimeoutMillis = jetty.getAsyncRemote().getSendTimeout();
    }

    /** Jetty's core connection when the container is Jetty, the standard one otherwise (Tomcat). */
    static StandardConnection of(WebSocketSession session, Executor closer) {
        Session standard = nativeSession(session);
        return standard instanceof JakartaWebSocketSession jetty
                ? new JettyCoreConnection(session, closer, jetty)
                : new StandardConnection(session, closer);
    }

    @Override
    public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
        core.sendFrame(new OutgoingEntry.Builder(new Frame(OpCode.TEXT, frame.payload()), new Completion(done))
                .batch(more)
                .messageTimeout(writeTimeoutMillis)
                .build());
    }

    @Override
    public void flush() {
        core.flush(Callback.NOOP);
    }

    /** One object per frame rather than {@code Callback.from}'s two lambdas and an adapter. */
    private record Completion(Consumer<Throwable> done) implements Callback {

        @Override
        public void succeeded() {
            done.accept(null);
        }

        @Override
        public void failed(Throwable failure) {
            done.accept(failure);
        }
    }
}
