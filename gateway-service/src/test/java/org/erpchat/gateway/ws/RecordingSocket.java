package org.erpchat.gateway.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.session.SessionConnection;
import org.springframework.web.socket.CloseStatus;

/** A socket that records, in order, each frame's event and each close; writes complete at once unless held. */
final class RecordingSocket implements SessionConnection {

    private static final Pattern EVENT = Pattern.compile("^\\{\"event\":\"([a-z_]+)\"");

    final List<String> events = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private final List<Consumer<Throwable>> held = new ArrayList<>();
    boolean holdWrites;

    @Override
    public synchronized void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
        Matcher event = EVENT.matcher(frame.text());
        events.add(event.find() ? event.group(1) : frame.text());
        texts.add(frame.text());
        if (holdWrites) {
            held.add(done);
        } else {
            done.accept(null);
        }
    }

    @Override
    public void ping() {}

    @Override
    public synchronized void close(CloseStatus status) {
        events.add("close " + status.getCode() + " " + status.getReason());
    }

    /** The whole text of every frame written, in order. */
    synchronized List<String> frames() {
        return List.copyOf(texts);
    }

    /** Completes the writes held so far; the next frame starts at once (and is held in turn). */
    void completeHeldWrites() {
        List<Consumer<Throwable>> now;
        synchronized (this) {
            now = new ArrayList<>(held);
            held.clear();
        }
        now.forEach(done -> done.accept(null));
    }
}
