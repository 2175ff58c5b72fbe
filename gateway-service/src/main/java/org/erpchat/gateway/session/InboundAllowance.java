package org.erpchat.gateway.session;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * How much a connection may send: a token bucket for the rate, and a count of bad or rate-limited frames in a sliding
 * window. A client that keeps breaking the rules is closed (1008); one that bursts now and then is only told.
 *
 * <p>Typing frames have a bucket of their own, with the same rate: a client that sends {@code typing} on every
 * keystroke (the seed's clients may) must not use up the allowance its sends need. Those beyond it are dropped without
 * an answer; every {@link #TYPING_DROPS_PER_VIOLATION}th counts as a violation, so a client holding a key down is not
 * closed but one that floods is.
 */
final class InboundAllowance {

    static final int TYPING_DROPS_PER_VIOLATION = 10;

    private final int ratePerSecond;
    private final int burst;
    private final Bucket bucket;
    /** Made with the first typing frame: most connections never send one, and an idle one should hold little. */
    private Bucket typing;

    private int typingDropped;
    private final int maxViolations;
    private final long windowNanos;
    private long windowStartNanos;
    private int violations;

    InboundAllowance(int ratePerSecond, int burst, int maxViolations, Duration violationWindow) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.bucket = bucket(ratePerSecond, burst);
        this.maxViolations = maxViolations;
        this.windowNanos = violationWindow.toNanos();
    }

    private static Bucket bucket(int ratePerSecond, int burst) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(burst)
                        .refillGreedy(ratePerSecond, Duration.ofSeconds(1))
                        .build())
                .build();
    }

    boolean tryConsume() {
        return bucket.tryConsume(1);
    }

    synchronized boolean tryConsumeTyping() {
        if (typing == null) {
            typing = bucket(ratePerSecond, burst);
        }
        return typing.tryConsume(1);
    }

    /** A typing frame beyond its allowance was dropped; true when that makes the connection one to close. */
    synchronized boolean typingDropped() {
        return ++typingDropped % TYPING_DROPS_PER_VIOLATION == 0 && violation();
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
