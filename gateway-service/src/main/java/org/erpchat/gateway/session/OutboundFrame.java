package org.erpchat.gateway.session;

import java.time.Instant;
import org.erpchat.gateway.protocol.TextFrame;

/**
 * A frame waiting in a session's queue.
 *
 * @param frame the JSON frame, already encoded (and shared by every session it goes to)
 * @param disposable typing and presence: dropped first under pressure, since the next one supersedes it
 * @param eventCreatedAt when the underlying event was created, for the delivery latency metric; null when not measured
 * @param timedOneIn the delivery latency metric times one write of this frame in this many, chosen at random
 */
public record OutboundFrame(TextFrame frame, boolean disposable, Instant eventCreatedAt, int timedOneIn) {

    /** A frame whose every write is timed, if it has a creation time. */
    public OutboundFrame(TextFrame frame, boolean disposable, Instant eventCreatedAt) {
        this(frame, disposable, eventCreatedAt, 1);
    }

    public static OutboundFrame control(String text) {
        return control(TextFrame.of(text));
    }

    public static OutboundFrame control(TextFrame frame) {
        return new OutboundFrame(frame, false, null);
    }

    public static OutboundFrame disposable(String text) {
        return disposable(TextFrame.of(text));
    }

    public static OutboundFrame disposable(TextFrame frame) {
        return new OutboundFrame(frame, true, null);
    }

    public String text() {
        return frame.text();
    }

    int size() {
        return frame.size();
    }
}
