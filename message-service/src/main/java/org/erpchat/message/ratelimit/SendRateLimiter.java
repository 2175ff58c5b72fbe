package org.erpchat.message.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
     * {@link #tryAcquire} without waiting for the answer, so that the caller can do its own work meanwhile. The future
     * never fails: a limiter that cannot decide allows, as {@link #tryAcquire} does.
     */
    CompletableFuture<Decision> tryAcquireLater(long userId, Instant sentAt);

    /**
     * Takes one send from each user's allowance for every one of {@code sends}, all or none: true when all of them may
     * go ahead; false when any may not, and then nothing is taken and each send is for {@link #tryAcquire} to judge on
     * its own. Several sends of one user are judged together at the latest of their times, which never allows more
     * than judging them one by one would. Costs one wait for the slowest user, not one per send.
     */
    boolean tryAcquireAll(List<UserSend> sends);

    /**
     * True when this instance has just refused {@code userId} and that refusal still stands for a send made at
     * {@code sentAt}: {@link #tryAcquire} would refuse it without asking anyone. Lets a batch leave such a sender's
     * sends to the single send path instead of being refused as a whole.
     */
    default boolean isRefusing(long userId, Instant sentAt) {
        return false;
    }

    /**
     * Gives back what {@link #tryAcquire} took for a send that then did not happen because the database failed, so
     * that retrying it costs nothing. Best effort: never throws.
     */
    void refund(long userId, Instant sentAt);

    /**
     * @param userId who sent
     * @param sentAt when, as for {@link #tryAcquire}
     */
    record UserSend(long userId, Instant sentAt) {}

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
