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
    /**
     * A lone frame's buffers for the write, used again for the next: writes go one at a time, and Jetty lets go of the
     * array before it reports the write over.
     */
    private final ByteBuffer[] single = new ByteBuffer[1];
    /**
     * The callback of the last write, kept for the next: the session's queue passes the same {@code done} to every
     * write, so one callback per connection serves them all instead of one per frame.
     */
    private Written written;

    DirectConnection(ConnectionWrites writes, Executor closer) {
        this.writes = writes;
        this.closer = closer;
    }

    @Override
    public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
        ByteBuffer[] frames;
        Written callback;
        synchronized (this) {
            if (more) {
                if (gathered == null) {
                    gathered = new ArrayList<>(4);
                }
                gathered.add(frame.wire());
                frames = null;
            } else if (gathered == null) {
                single[0] = frame.wire();
                frames = single;
            } else {
                gathered.add(frame.wire());
                frames = gathered.toArray(NONE);
                gathered = null;
            }
            if (frames != null && (written == null || written.done != done)) {
                written = new Written(done);
            }
            callback = written;
        }
        if (frames == null) {
            // Taken into the burst: written with its last frame, which the queue sends next.
            done.accept(null);
            return;
        }
        writes.text(frames, callback);
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

    /** A write's outcome for the session's queue; the frame is let go of first, so an idle connection holds none. */
    private final class Written implements Callback {

        private final Consumer<Throwable> done;

        Written(Consumer<Throwable> done) {
            this.done = done;
        }

        @Override
        public void succeeded() {
            single[0] = null;
            done.accept(null);
        }

        @Override
        public void failed(Throwable failure) {
            single[0] = null;
            done.accept(failure);
        }
    }
}
