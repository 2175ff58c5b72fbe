package org.erpchat.gateway.ws;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.session.SessionConnection;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * Writes frames through Jetty's core WebSocket session ({@link CoreWebSocket}), for connections that negotiated an
 * extension (permessage-deflate compresses each frame for its socket); the others write directly ({@link
 * DirectConnection}). Every socket is written from the same
 * pre-encoded bytes ({@link TextFrame}), never re-encoded per connection. Frames announced with {@code more} join
 * Jetty's batch buffer and leave with the next frame that is not, in one gathered write: a burst costs one system call
 * per socket, not one per frame. The container's write timeout is applied to each frame.
 */
final class JettyCoreConnection implements SessionConnection {

    private final CoreSession core;
    private final long writeTimeoutMillis;
    private final Executor closer;

    private JettyCoreConnection(CoreSession core, Duration writeTimeout, Executor closer) {
        this.core = core;
        this.writeTimeoutMillis = writeTimeout.toMillis();
        this.closer = closer;
    }

    /**
     * On Jetty's core API ({@link JettyCoreUpgradeStrategy}): straight to the socket without extensions ({@link
     * DirectConnection}), through the core session with them (this); the standard connection on other containers.
     */
    static SessionConnection of(WebSocketSession session, Duration writeTimeout, Executor closer) {
        if (!(session instanceof CoreWebSocket socket)) {
            return new StandardConnection(session, closer);
        }
        CoreSession core = socket.coreSession();
        if (core.getNegotiatedExtensions().isEmpty() && core instanceof WebSocketCoreSession jetty) {
            ConnectionWrites writes =
                    new ConnectionWrites(core, jetty.getConnection().getEndPoint(), writeTimeout.toMillis());
            socket.writeThrough(writes);
            return new DirectConnection(writes, closer);
        }
        return new JettyCoreConnection(core, writeTimeout, closer);
    }

    @Override
    public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
        core.sendFrame(new OutgoingEntry.Builder(new Frame(OpCode.TEXT, frame.payload()), new WriteCompletion(done))
                .batch(more)
                .messageTimeout(writeTimeoutMillis)
                .build());
    }

    /** A failed ping needs no handling: a connection that cannot take one is closed by the idle timeout. */
    @Override
    public void ping() {
        core.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
    }

    @Override
    public void close(CloseStatus status) {
        // The close completes on Jetty's threads, which then run the session's end (registry, presence): never on a
        // thread that is delivering to other sessions.
        closer.execute(() -> core.close(status.getCode(), status.getReason(), Callback.NOOP));
    }
}
