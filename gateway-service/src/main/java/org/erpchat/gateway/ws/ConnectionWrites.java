package org.erpchat.gateway.ws;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;

/**
 * Every write of one connection, one at a time, on a connection without extensions. Text frames go straight to the
 * socket from their pre-built bytes ({@link org.erpchat.gateway.protocol.TextFrame#wire()}): Jetty's core session
 * passes each frame through two frame flushers (the extension stack's and the connection's), with their locks, queues,
 * header buffers and timeouts, which cost a sixth of the gateway's CPU in a 1,000-member fan-out
 * (docs/benchmarks.md, §6 step 12). Control frames (ping, pong, close) still go through the core session, which keeps
 * track of the close handshake. Each write waits for the one before it, so the socket never sees two at once, and no
 * text frame follows a close.
 *
 * <p>Jetty writes by itself only when it ends a connection: answering a client's close, closing on a protocol error or
 * an idle timeout. A text frame being written at that moment makes one of the two writes fail, and the connection ends
 * without the server's close frame; the client sees a lost connection and resumes, missing nothing.
 */
final class ConnectionWrites {

    /** One write; calls {@code done} when it is over, whatever the outcome. */
    @FunctionalInterface
    private interface Write {
        void start(Runnable done);
    }

    private final CoreSession core;
    private final EndPoint endPoint;
    private final long closeWithinMillis;
    /** Writes that arrived while one was in progress; created on first need (most connections never have any). */
    private ArrayDeque<Write> waiting;

    private boolean writing;
    /** Starts the write after this one; made once, not per write. */
    private final Runnable next = this::next;
    /**
     * The caller's callback of the text write in progress. Writes go one at a time, so one {@link #textWritten} serves
     * them all: a fan-out to 1,000 sessions allocated three objects per frame for this before.
     */
    private volatile Callback textCallback;

    private final Callback textWritten = new Callback() {
        @Override
        public void succeeded() {
            Callback callback = textCallback;
            next.run();
            callback.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            Callback callback = textCallback;
            next.run();
            callback.failed(failure);
        }
    };
    /** Set by the close once it is its turn to write (read by the abort timer). */
    private volatile boolean closed;

    /**
     * @param closeWithinMillis a close that waits this long behind a write that does not complete (a client that stopped
     *     reading) aborts the connection instead
     */
    ConnectionWrites(CoreSession core, EndPoint endPoint, long closeWithinMillis) {
        this.core = core;
        this.endPoint = endPoint;
        this.closeWithinMillis = closeWithinMillis;
    }

    /** Writes whole text frames in one system call; {@code callback} learns the outcome. */
    void text(ByteBuffer[] frames, Callback callback) {
        synchronized (this) {
            if (writing) {
                enqueue(done -> writeText(frames, callback));
                return;
            }
            writing = true;
        }
        writeText(frames, callback);
    }

    /** A text write whose turn it is; {@link #textWritten} starts the next write and then tells {@code callback}. */
    private void writeText(ByteBuffer[] frames, Callback callback) {
        if (closed || !core.isOutputOpen()) {
            next.run();
            callback.failed(new ClosedChannelException());
            return;
        }
        textCallback = callback;
        try {
            endPoint.write(textWritten, frames);
        } catch (RuntimeException e) {
            // WritePendingException: Jetty is writing its close frame; this connection is ending.
            next.run();
            callback.failed(e);
        }
    }

    /** Any other frame (ping, pong, a message sent outside the session's queue), through the core session. */
    void frame(Frame frame, Callback callback) {
        submit(done -> core.sendFrame(frame, whenOver(done, callback), false));
    }

    /** Closes with this status after what is being written; aborts if that write does not complete in time. */
    void close(int code, String reason, Callback callback) {
        boolean queued = submit(done -> {
            closed = true;
            core.close(code, reason, whenOver(done, callback));
        });
        if (queued) {
            CompletableFuture.delayedExecutor(closeWithinMillis, TimeUnit.MILLISECONDS)
                    .execute(() -> {
                        if (!closed) {
                            core.abort();
                        }
                    });
        }
    }

    /** Starts the write now, or after the ones before it; true when it had to wait. */
    private boolean submit(Write write) {
        synchronized (this) {
            if (writing) {
                enqueue(write);
                return true;
            }
            writing = true;
        }
        write.start(next);
        return false;
    }

    /** Holds a write until the ones before it are over; the caller holds this object's lock. */
    private void enqueue(Write write) {
        if (waiting == null) {
            waiting = new ArrayDeque<>(2);
        }
        waiting.addLast(write);
    }

    private void next() {
        Write following;
        synchronized (this) {
            following = waiting == null ? null : waiting.pollFirst();
            if (following == null) {
                writing = false;
                return;
            }
        }
        following.start(next);
    }

    private static Callback whenOver(Runnable done, Callback callback) {
        return new Callback() {
            @Override
            public void succeeded() {
                done.run();
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                done.run();
                callback.failed(failure);
            }
        };
    }
}
