package org.erpchat.gateway.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.support.security.AuthenticatedUser;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.socket.CloseStatus;

/**
 * A {@link SessionConnection} for tests that completes every write at once and records what was written and how the
 * connection was closed; it can refuse its first closes, as a closer that has shut down does.
 */
public final class RecordingConnection implements SessionConnection {

    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final List<Integer> closes = new CopyOnWriteArrayList<>();
    private final AtomicInteger closesToRefuse = new AtomicInteger();

    /** The next {@code count} closes throw after being recorded. */
    public RecordingConnection refusingCloses(int count) {
        closesToRefuse.set(count);
        return this;
    }

    @Override
    public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
        frames.add(frame.text());
        done.accept(null);
    }

    @Override
    public void ping() {}

    @Override
    public void close(CloseStatus status) {
        closes.add(status.getCode());
        if (closesToRefuse.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new RejectedExecutionException("closer shut down");
        }
    }

    /** A session of {@code userId} over this connection, with the default settings, authenticated for an hour. */
    public ChatSession authenticatedSession(String id, long userId) {
        ChatSession session = new ChatSession(
                id,
                this,
                new Binder(new MapConfigurationPropertySource(Map.of()))
                        .bindOrCreate("chat.gateway", GatewayProperties.class),
                OutboundListener.NONE);
        Instant expiry = Instant.now().plusSeconds(3600);
        session.authenticate(new Credentials(new AuthenticatedUser(userId, "user " + userId), "token", expiry, expiry));
        return session;
    }

    /** The frames written, in order. */
    public List<String> frames() {
        return frames;
    }

    /** The codes of the closes asked for, in order, refused ones included. */
    public List<Integer> closes() {
        return closes;
    }
}
