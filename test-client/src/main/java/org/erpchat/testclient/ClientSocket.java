package org.erpchat.testclient;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One client connection (from {@link WebSocketConnector#connect}). It hands whole text messages to its listener,
 * answers pings while it reads, and can stop reading ({@link #pause()}) as a frozen or slow client would: frames then
 * pile up in the server's queue and the TCP buffers. Sends go out as given, so a test can send what a browser never
 * would: fragments, binary, text that is not UTF-8.
 */
public final class ClientSocket implements FrameHandler {

    /** What a connection tells its owner. Jetty calls it on one thread at a time per connection. */
    public interface Listener {

        default void onOpen(ClientSocket socket) {}

        /** A whole text message (its fragments joined), decoded as UTF-8. */
        void onText(String text);

        default void onPong(byte[] payload) {}

        /**
         * The connection is over, called once: the server's close code and reason, or 1006 and the failure when it
         * ended without a close frame.
         */
        void onClose(int code, String reason);
    }

    private final Listener listener;
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final Object reading = new Object();
    private volatile CoreSession session;
    private volatile Throwable failure;
    private boolean paused;
    private boolean demandOwed;
    // Touched only by Jetty's calls, one at a time.
    private ByteArrayOutputStream message;
    private boolean messageIsText;

    ClientSocket(Listener listener) {
        this.listener = listener;
    }

    public CompletableFuture<Void> sendText(String text) {
        return send(new Frame(OpCode.TEXT, text));
    }

    /** Sends one frame with this payload exactly as given (valid UTF-8 or not, fin or not); Jetty masks it. */
    public CompletableFuture<Void> sendFrame(byte opCode, boolean fin, byte[] payload) {
        return send(new Frame(opCode, fin, ByteBuffer.wrap(payload)));
    }

    public CompletableFuture<Void> ping(byte[] payload) {
        return send(new Frame(OpCode.PING, ByteBuffer.wrap(payload)));
    }

    /**
     * Starts the close handshake; {@link Listener#onClose} follows when the server answers. The future is the close
     * frame's write: Jetty may fail it with a {@code ClosedChannelException} when the server's answer ends the
     * connection before the write is reported done, so the handshake's outcome is what {@code onClose} reports.
     */
    public CompletableFuture<Void> close(int code, String reason) {
        return whenOpen((current, done) -> current.close(code, reason, done));
    }

    /** Drops the TCP connection without a close handshake, as a lost network would. */
    public void abort() {
        CoreSession current = session;
        if (current != null) {
            current.abort();
        }
    }

    /** True until the connection is closed, aborted, or its output is shut by a close handshake under way. */
    public boolean isOpen() {
        CoreSession current = session;
        return current != null && current.isOutputOpen() && !closeReported.get();
    }

    /** What the server agreed to in {@code Sec-WebSocket-Extensions}, empty when nothing. */
    public String extensions() {
        CoreSession current = session;
        return current == null
                ? ""
                : current.getNegotiatedExtensions().stream()
                        .map(ExtensionConfig::getParameterizedName)
                        .collect(Collectors.joining(", "));
    }

    /** Stops reading from the socket (the frame being handed over, if any, is the last until {@link #unpause()}). */
    public void pause() {
        synchronized (reading) {
            paused = true;
        }
    }

    /** Reads again: what piled up arrives, then whatever follows. */
    public void unpause() {
        boolean owed;
        synchronized (reading) {
            paused = false;
            owed = demandOwed;
            demandOwed = false;
        }
        if (owed) {
            session.demand();
        }
    }

    // ---- FrameHandler: Jetty calls these

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        listener.onOpen(this);
        callback.succeeded();
        demandNext();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        try {
            switch (frame.getOpCode()) {
                case OpCode.TEXT, OpCode.BINARY -> {
                    message = new ByteArrayOutputStream(frame.getPayloadLength());
                    messageIsText = frame.getOpCode() == OpCode.TEXT;
                    append(frame);
                }
                case OpCode.CONTINUATION -> append(frame);
                case OpCode.PING -> {
                    Frame pong = new Frame(OpCode.PONG, ByteBuffer.wrap(bytes(frame)));
                    session.sendFrame(pong, Callback.from(() -> read(callback), callback::failed), false);
                    return;
                }
                case OpCode.PONG -> listener.onPong(bytes(frame));
                case OpCode.CLOSE -> {
                    // Jetty answers the close handshake itself; nothing more will be read.
                    callback.succeeded();
                    return;
                }
                default -> {
                    // Jetty's parser rejects unknown opcodes before they get here.
                }
            }
        } catch (RuntimeException listenerFailure) {
            // Jetty closes the connection (1011) and reports the failure through onError and onClosed.
            callback.failed(listenerFailure);
            return;
        }
        read(callback);
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        failure = cause;
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus status, Callback callback) {
        if (closeReported.compareAndSet(false, true)) {
            Throwable cause = failure;
            String reason =
                    status.getCode() == CloseStatus.NO_CLOSE && cause != null ? cause.toString() : status.getReason();
            listener.onClose(status.getCode(), reason);
        }
        callback.succeeded();
    }

    private void append(Frame frame) {
        ByteArrayOutputStream current = message;
        if (current == null) {
            return; // a continuation without a start: Jetty's parser already refuses that
        }
        byte[] bytes = bytes(frame);
        current.write(bytes, 0, bytes.length);
        if (frame.isFin()) {
            message = null;
            if (messageIsText) {
                listener.onText(current.toString(StandardCharsets.UTF_8));
            }
        }
    }

    /** A copy of the frame's payload: Jetty reuses the buffer once the frame's callback completes. */
    private static byte[] bytes(Frame frame) {
        ByteBuffer payload = frame.getPayload();
        return payload == null ? new byte[0] : BufferUtil.toArray(payload);
    }

    private void read(Callback frameDone) {
        frameDone.succeeded();
        demandNext();
    }

    private void demandNext() {
        synchronized (reading) {
            if (paused) {
                demandOwed = true;
                return;
            }
        }
        session.demand();
    }

    private CompletableFuture<Void> send(Frame frame) {
        return whenOpen((current, done) -> current.sendFrame(frame, done, false));
    }

    private CompletableFuture<Void> whenOpen(BiConsumer<CoreSession, Callback> action) {
        CoreSession current = session;
        if (current == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not open"));
        }
        Callback.Completable done = new Callback.Completable();
        action.accept(current, done);
        return done;
    }
}
