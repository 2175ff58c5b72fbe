package org.erpchat.support.outbox;

/**
 * A store's side of an outbox: what {@link OutboxRelay} calls on each pass. Implementations know where the entries
 * live (a table, a Redis stream) and how to publish them; the relay owns the thread, the wake-up, the backoff, the
 * drain on shutdown, the metrics and the logging.
 */
public interface OutboxBatches {

    /**
     * Publishes the oldest entries, at most one batch, in order, and removes them once Kafka acknowledged every one.
     *
     * @return how many entries were published: 0 when there were none, or when this instance may not publish now
     * @throws RuntimeException when the batch was not published; its entries stay and the relay tries again, from the
     *     oldest, after a backoff
     */
    int publishOldest();

    /** After a failed pass, before the backoff: for example, a fresh producer. */
    default void afterFailure() {}

    /** Once, after the relay's last pass on shutdown: for example, release a lease so another instance takes over. */
    default void afterStop() {}
}
