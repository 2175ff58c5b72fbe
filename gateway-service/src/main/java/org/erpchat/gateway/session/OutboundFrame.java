package org.erpchat.gateway.session;

import java.time.Instant;

/**
 * A frame waiting in a session's queue.
 *
 * @param text the JSON frame
 * @param disposable typing and presence: dropped first under pressure, since the next one supersedes it
 * @param eventCreatedAt when the underlying event was created, for the delivery latency metric; null when not measured
 */
public record OutboundFrame(String text, boolean disposable, Instant eventCreatedAt) {

    public static OutboundFrame control(String text) {
        return new OutboundFrame(text, false, null);
    }

    public static OutboundFrame disposable(String text) {
        return new OutboundFrame(text, true, null);
    }

    int size() {
        // Characters, not bytes: exact for the ASCII that dominates, and free to compute.
        return text.length();
    }
}
