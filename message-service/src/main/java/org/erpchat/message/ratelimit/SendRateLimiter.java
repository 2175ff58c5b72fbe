package org.erpchat.message.ratelimit;

import java.time.Duration;
import java.time.Instant;

/** The per-user send rate limit, shared by every instance of the service. */
public interface SendRateLimiter {

    /**
     * Takes one send from {@code userId}'s allowance, or says how long to wait when there is none left.
     *
     * @param sentAt when the user sent it: for a command, when the gateway accepted the frame, so that sends which
     *     waited in Kafka or behind a database outage are judged at the pace the user really sent them; {@code null}
     *     (REST) means now. Never later than now nor earlier than {@code max-command-age} before it.
     */
    Decision tryAcquire(long userId, Instant sentAt);

    /**
     * Gives back what {@link #tryAcquire} took for a send that then did not happen because the database failed, so
     * that retrying it costs nothing. Best effort: never throws.
     */
    void refund(long userId, Instant sentAt);

    /**
     * @param allowed whether the send may go ahead
     * @param retryAfter when refused, how long until the next send would be allowed
     */
    record Decision(boolean allowed, Duration retryAfter) {

        static final Decision ALLOWED = new Decision(true, Duration.ZERO);

        static Decision refused(Duration retryAfter) {
            return new Decision(false, retryAfter);
        }
    }
}
