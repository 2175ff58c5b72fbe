package org.erpchat.gateway.session;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.protocol.PreparedMessage;
import org.springframework.web.socket.CloseStatus;

/**
 * One client connection: who it is (once authenticated), its send queue, its message order, and its keepalive and
 * inbound accounting. Thread-safe: Kafka consumers, the container's threads, replays and the keepalive sweep all
 * touch it.
 */
public final class ChatSession implements MessageStream.Emitter {

    private final String id;
    private final SessionConnection connection;
    private final OutboundQueue outbound;
    private final MessageStream stream;
    private final InboundAllowance inbound;
    private final OutboundListener listener;
    private final long openedAtNanos = System.nanoTime();
    /** The close is decided: from then on nothing is routed here, and the close has been counted. */
    private final AtomicBoolean closing = new AtomicBoolean();
    /** The connection's close has been started, or the connection is gone: it is started at most once. */
    private final AtomicBoolean connectionClosing = new AtomicBoolean();

    private volatile long lastInboundNanos = openedAtNanos;
    private volatile long lastPingNanos = openedAtNanos;
    private volatile long activatedAtNanos;
    private volatile Credentials credentials;
    private volatile boolean expiryWarned;
    private volatile CloseStatus closeStatus;

    private static final AtomicIntegerFieldUpdater<ChatSession> ANNOUNCEMENT =
            AtomicIntegerFieldUpdater.newUpdater(ChatSession.class, "announcement");
    private static final int NOT_ANNOUNCED = 0;
    private static final int OPENING_ANNOUNCED = 1;
    private static final int CLOSED_UNANNOUNCED = 2;
    /** Whether its opening was announced (ConnectionOpened), decided once against a close that may come first. */
    private volatile int announcement;

    private volatile ConnectOptions options = ConnectOptions.NONE;

    public ChatSession(
            String id, SessionConnection connection, GatewayProperties properties, OutboundListener listener) {
        this.id = id;
        this.connection = connection;
        this.listener = listener;
        GatewayProperties.Outbound out = properties.outbound();
        this.outbound = new OutboundQueue(
                connection,
                out.maxMessages(),
                out.maxBytes().toBytes(),
                out.dropDisposableAbove(),
                listener,
                failure -> close(CloseStatus.SESSION_NOT_RELIABLE));
        // What a catch-up held is released into the queue at once when it ends, once the queue has drained to half
        // (CatchUp): at most a quarter of it, in frames and in bytes, or even a client that reads at full speed would
        // be closed as too slow. Beyond, it is fetched again, at the client's pace.
        this.stream = new MessageStream(
                Math.min(properties.replay().maxBufferedLiveEvents(), Math.max(1, out.maxMessages() / 4)),
                Math.max(1, out.maxBytes().toBytes() / 4));
        GatewayProperties.Inbound in = properties.inbound();
        this.inbound = new InboundAllowance(in.ratePerSecond(), in.burst(), in.maxViolations(), in.violationWindow());
    }

    public String id() {
        return id;
    }

    /** The authenticated user's id; only valid once {@link #isAuthenticated()}. */
    public long userId() {
        return credentials.user().id();
    }

    public boolean isAuthenticated() {
        return credentials != null;
    }

    public Credentials credentials() {
        return credentials;
    }

    public void authenticate(Credentials credentials) {
        if (this.credentials == null) {
            activatedAtNanos = System.nanoTime();
        }
        this.credentials = credentials;
        this.expiryWarned = false;
    }

    /** Adds what the client declared, at the handshake or in its first {@code auth} frame. */
    public void declare(ConnectOptions declared) {
        options = options.and(declared);
    }

    public ConnectOptions options() {
        return options;
    }

    /** The client understands {@code presence_batch}. */
    public boolean acceptsPresenceBatches() {
        return options.presenceBatch();
    }

    public MessageStream stream() {
        return stream;
    }

    public OutboundQueue outbound() {
        return outbound;
    }

    /**
     * Queues a frame for the client. A session whose queue is full even after dropping disposable frames cannot keep
     * up: it is closed (4001) and its client resumes.
     */
    public void send(OutboundFrame frame) {
        if (!outbound.offer(frame)) {
            close(CloseCodes.SLOW_CONSUMER);
        }
    }

    /** Delivers a message in stream order: {@code message_sent} to the session that sent it, the delivery event else. */
    @Override
    public void emit(PreparedMessage message, boolean ack, Instant createdAt) {
        send(new OutboundFrame(ack ? message.ackFrame() : message.deliveryFrame(), false, createdAt));
    }

    @Override
    public void emit(LiveMessage live) {
        send(live.frame());
    }

    /** A live message; returns true when it revealed a gap and a catch-up must be started. */
    public boolean offerLive(LiveMessage live) {
        boolean gap = stream.offerLive(live, this);
        if (live.ack() && stream.heldAcksOverflowed()) {
            close(CloseCodes.SLOW_CONSUMER);
        }
        return gap;
    }

    /**
     * A {@code conversation_read}: {@code readerId} read {@code conversationId} up to {@code readSeq}. Queued after
     * the message it names has gone out to this session ({@link MessageStream#offerRead}).
     */
    public void sendRead(long conversationId, long readerId, long readSeq, OutboundFrame frame) {
        stream.offerRead(conversationId, readerId, readSeq, () -> send(frame));
    }

    /** Counts one frame against the rate; false when the client is over its allowance. */
    public boolean tryConsumeInbound() {
        return inbound.tryConsume();
    }

    /** Counts one typing frame against the typing allowance; false when the client is over it. */
    public boolean tryConsumeTyping() {
        return inbound.tryConsumeTyping();
    }

    /** Records a typing frame dropped for the rate; true when the client has now broken the rules too often. */
    public boolean recordTypingDropped() {
        return inbound.typingDropped();
    }

    /** Records a bad or rate-limited frame; true when the client has now broken the rules too often. */
    public boolean recordViolation() {
        return inbound.violation();
    }

    public void touch() {
        touch(System.nanoTime());
    }

    void touch(long nanos) {
        lastInboundNanos = nanos;
    }

    public long lastInboundNanos() {
        return lastInboundNanos;
    }

    /** When the session was first authenticated. */
    public long activatedAtNanos() {
        return activatedAtNanos;
    }

    public long openedAtNanos() {
        return openedAtNanos;
    }

    /**
     * Claims the announcement of the session's opening (ConnectionOpened); false when it closed first (refused for
     * the session cap, say), and then nothing is to be announced of it, its close neither.
     */
    public boolean announceOpening() {
        return ANNOUNCEMENT.compareAndSet(this, NOT_ANNOUNCED, OPENING_ANNOUNCED);
    }

    /** On its close: whether its opening was announced, so that its close must be; from now on it never will be. */
    public boolean openingAnnounced() {
        ANNOUNCEMENT.compareAndSet(this, NOT_ANNOUNCED, CLOSED_UNANNOUNCED);
        return announcement == OPENING_ANNOUNCED;
    }

    /** When the last ping was sent (its opening until then). */
    public long lastPingNanos() {
        return lastPingNanos;
    }

    /** Whether a ping is due: none was sent within the interval. Records the ping when it is. */
    public boolean pingDue(long now, long intervalNanos) {
        if (now - lastPingNanos < intervalNanos) {
            return false;
        }
        lastPingNanos = now;
        return true;
    }

    public void ping() {
        if (!closing.get()) {
            connection.ping();
        }
    }

    /** Whether the token's expiry warning was sent already; set by the first caller. */
    public boolean markExpiryWarned() {
        boolean first = !expiryWarned;
        expiryWarned = true;
        return first;
    }

    public Instant tokenExpiresAt() {
        Credentials current = credentials;
        return current == null ? null : current.expiresAt();
    }

    /** The last moment the session's token is accepted (its expiry plus the configured clock skew). */
    public Instant tokenAcceptedUntil() {
        Credentials current = credentials;
        return current == null ? null : current.acceptedUntil();
    }

    /**
     * Closes the connection now, discarding what is queued. The close counts (metrics) once, when it is first decided: a
     * client that stopped reading receives the close frame only if it reads again, and its socket is dropped when the
     * container's own write timeout gives up on it. A close decided earlier by {@link #closeAfterQueued} that still
     * waits for its frames is cut short, with this status: whoever calls this (the stuck-write watchdog, a failed
     * write, a shutdown) must not wait for a client that stopped reading. Otherwise later calls do nothing.
     */
    public void close(CloseStatus status) {
        decideClose(status);
        outbound.close();
        closeConnection(status);
    }

    /**
     * Closes after the frames already queued have been written: for a last frame the client must see (the {@code
     * error} of a refused token, a failed {@code resume_result}), which {@link #close} would drop while an earlier
     * write is still in flight. The close is decided (and counted) now: {@link #isClosing()} is true and no frame is
     * accepted from here on. With nothing queued or being written the connection closes at once; a client that does
     * not read holds the close until the stuck-write watchdog cuts it short with {@link #close}.
     */
    public void closeAfterQueued(CloseStatus status) {
        if (decideClose(status)) {
            outbound.closeAfterQueued(() -> closeConnection(status));
        }
    }

    /** Marks the session closing and counts the close; false when it was decided before. */
    private boolean decideClose(CloseStatus status) {
        if (!closing.compareAndSet(false, true)) {
            return false;
        }
        closeStatus = status;
        listener.closed(status);
        return true;
    }

    private void closeConnection(CloseStatus status) {
        if (connectionClosing.compareAndSet(false, true)) {
            try {
                connection.close(status);
            } catch (RuntimeException e) {
                // Not handed over (the closer refused it, at shutdown): a later close must try again, or the session
                // would stay registered with nothing left to close it.
                connectionClosing.set(false);
                throw e;
            }
        }
    }

    /**
     * The connection is gone (the client or the network closed it, or our close completed); {@code status} is what
     * the container reports, counted only if the gateway had not decided to close first.
     */
    public void connectionClosed(CloseStatus status) {
        if (closing.compareAndSet(false, true)) {
            listener.closed(status);
        }
        connectionClosing.set(true); // nothing left to close, nor to finish writing
        outbound.close();
    }

    public boolean isClosing() {
        return closing.get();
    }

    /** The status this gateway closed the session with, or null when the client or network closed it. */
    public CloseStatus closeStatus() {
        return closeStatus;
    }

    @Override
    public String toString() {
        Credentials current = credentials;
        return "ChatSession[" + id
                + (current == null ? "" : ", user " + current.user().id()) + "]";
    }
}
