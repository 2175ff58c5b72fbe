package org.erpchat.support.logging;

import ch.qos.logback.classic.Level;

/**
 * The repeats of one kind of line after its first: how many were held back since the last summary, and whether they
 * still come. Ended once a whole window passes without one; a later line of the kind starts afresh (it is logged).
 * Thread-safe: Kafka's clients log from their own threads.
 */
final class LineRepeats {

    /** Held-back lines to report: how many, over how long. */
    record Summary(long count, long millis) {}

    /** What {@link #repeated} answers when a sweep has ended this count meanwhile: count the line as a new one. */
    static final Summary ENDED = new Summary(-1, -1);

    private final Level level;
    private long windowStart;
    private long lastSeen;
    private long held;
    private boolean ended;

    LineRepeats(Level level, long now) {
        this.level = level;
        this.windowStart = now;
        this.lastSeen = now;
    }

    /** The level of the first line of the kind, the level its summaries are logged at. */
    Level level() {
        return level;
    }

    /**
     * One more line of the kind, held back. Returns a summary to log when a window has passed since the last one (or
     * since the first line), {@code null} when there is nothing to say yet, {@link #ENDED} when this count is over.
     */
    synchronized Summary repeated(long now, long windowMillis) {
        if (ended) {
            return ENDED;
        }
        held++;
        lastSeen = now;
        if (now - windowStart < windowMillis) {
            return null;
        }
        Summary summary = new Summary(held, now - windowStart);
        held = 0;
        windowStart = now;
        return summary;
    }

    /**
     * Ends this count if no line of the kind came for a whole window. Returns what was held back since the last summary
     * (a count of 0 if nothing was), or {@code null} if the lines still come or the count had ended already.
     */
    synchronized Summary endIfQuiet(long now, long windowMillis) {
        return now - lastSeen < windowMillis ? null : end();
    }

    /** Ends this count now; what {@link #endIfQuiet} returns. */
    synchronized Summary end() {
        if (ended) {
            return null;
        }
        ended = true;
        return new Summary(held, lastSeen - windowStart);
    }
}
