package org.erpchat.gateway.session;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * How much a connection may send: a token bucket for the rate, and a count of bad or rate-limited frames in a sliding
 * window. A client that keeps breaking the rules is closed (1008); one that bursts now and then is only told.
 */
final class InboundAllowance {

    private final Bucket bucket;
    private final int maxViolations;
    private final long windowNanos;
    private long windowStartNanos;
    private int violations;

    InboundAllowance(int ratePerSecond, int burst, int maxViolations, Duration violationWindow) {
        this.bucket = Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(burst)
                        .refillGreedy(ratePerSecond, Duration.ofSeconds(1))
                        .build())
                .build();
        this.maxViolations = maxViolations;
        this.windowNanos = violationWindow.toNanos();
    }

    boolean tryConsume() {
        return bucket.tryConsume(1);
    }

    /** Records a violation; true when the connection has now exceeded what it is allowed. */
    synchronized boolean violation() {
        long now = System.nanoTime();
        if (now - windowStartNanos > windowNanos) {
            windowStartNanos = now;
            violations = 0;
        }
        return ++violations > maxViolations;
    }
}
