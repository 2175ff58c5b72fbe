package org.erpchat.presence.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the events the outbox dropped unpublished: beyond {@code outbox.max-length} entries (Kafka unreachable or
 * slower than the transitions for long) the scripts trim its oldest ones and count them (common.lua), and the relay
 * holding the lease takes the count on each pass (lease.lua). Every event is counted in the metric; the log says it
 * once per outage: a line at the first drop, and one with the total once none has been dropped for {@link #QUIET}.
 * Only the relay thread calls it.
 */
final class OutboxTrimming {

    /** How long without a drop ends an outage's report. */
    static final Duration QUIET = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(OutboxTrimming.class);

    private final LongConsumer metric;
    private final Clock clock;

    private boolean dropping;
    private long firstAt;
    private long lastAt;
    private long total;

    OutboxTrimming(LongConsumer metric, Clock clock) {
        this.metric = metric;
        this.clock = clock;
    }

    /** What one pass took from Redis: the events dropped since the last pass that took them, often none. */
    void taken(long dropped) {
        long now = clock.millis();
        if (dropped > 0) {
            if (!dropping) {
                dropping = true;
                firstAt = now;
                total = 0;
                log.warn(
                        "The presence outbox reached chat.presence.outbox.max-length (Kafka unreachable or too slow):"
                                + " it dropped {} of its oldest unpublished events, whose presence and typing changes"
                                + " will reach no client (Redis and the REST API stay right). Further drops are counted"
                                + " (chat_presence_outbox_trimmed_total) and their total logged once none has been"
                                + " dropped for {} s",
                        dropped,
                        QUIET.toSeconds());
            }
            total += dropped;
            lastAt = now;
            // After the line: whoever sees the count can read why.
            metric.accept(dropped);
        } else if (dropping && now - lastAt >= QUIET.toMillis()) {
            dropping = false;
            log.warn(
                    "The presence outbox dropped {} unpublished events in all over {} s (as found by this instance"
                            + " while it published the outbox); none for {} s now",
                    total,
                    (lastAt - firstAt) / 1000,
                    QUIET.toSeconds());
        }
    }
}
