package org.erpchat.message.ratelimit;

import java.time.Duration;

/** The per-user send rate limit, shared by every instance of the service. */
public interface SendRateLimiter {

    /** Takes one send from {@code userId}'s allowance, or says how long to wait when there is none left. */
    Decision tryAcquire(long userId);

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
