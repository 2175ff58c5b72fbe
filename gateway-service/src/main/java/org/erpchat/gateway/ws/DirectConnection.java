package org.erpchat.gateway.ws;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.session.SessionConnection;
import org.springframework.web.socket.CloseStatus;

/**
 * Writes a session's text frames straight to its socket ({@link ConnectionWrites}): the same pre-built bytes for every
 * socket, and the frames of a burst (announced with {@code more}) gathered into one system call. Used on Jetty when
 * the connection negotiated no extension; with permessage-deflate every frame is compressed for its socket by Jetty
 * ({@link JettyCoreConnection}).
 */
final class DirectConnection implements SessionConnection {

    private static final ByteBuffer[] NONE = new ByteBuffer[0];

    private final ConnectionWrites writes;
    private final Executor closer;
    /** Frames announced with {@code more}, written with the next one that is not. */
    private List<ByteBuffer> gathered;

    DirectConnection(ConnectionWrites writes, Executor closer) {
        this.writes = writes;
        this.closer = closer;
    }

    @Override
    public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
        ByteBuffer[] frames;
        synchronized (this) {
            if (more) {
                if (gathered == null) {
                    gathered = new ArrayList<>(4);
                }
                gathered.add(frame.wire());
                frames = null;
            } else if (gathered == null) {
                frames = new ByteBuffer[] {frame.wire()};
            } else {
                gathered.add(frame.wire());
                frames = gathered.toArray(NONE);
                gathered = null;
            }
        }
        if (frames == null) {
            // Taken into the burst: written with its last frame, which the queue sends next.
            done.accept(null);
            return;
        }
        writes.text(frames, new WriteCompletion(done));
    }

    /** A failed ping needs no handling: a connection that cannot take one is closed by the idle timeout. */
    @Override
    public void ping() {
        writes.frame(new Frame(OpCode.PING), Callback.NOOP);
    }

    @Override
    public void close(CloseStatus status) {
        // The close completes on Jetty's threads, which then run the session's end (registry, presence): never on a
        // thread that is delivering to other sessions.
        closer.execute(() -> writes.close(status.getCode(), status.getReason(), Callback.NOOP));
    }
}
