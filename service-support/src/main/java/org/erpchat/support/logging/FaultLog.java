package org.erpchat.support.logging;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Logs a recurring fault once, with a count, instead of once per occurrence: a broker that is down for a minute
 * fails thousands of sends, and an operator needs one line saying so, then how many, then that it ended.
 *
 * <ul>
 *   <li>the first failure after a quiet period is logged at WARN with its cause's message (the stack trace only at
 *       DEBUG);
 *   <li>while failures go on, at most one WARN per {@code interval} says how many happened since the last line;
 *   <li>the first success afterwards logs at INFO how many failures there were in all and for how long; or, for a
 *       log made by {@link #endedByQuiet}, the first success after {@code interval} without a failure.
 * </ul>
 *
 * Thread-safe; cheap on the success path (one volatile read).
 */
public final class FaultLog {

    private final Logger log;
    private final String what;
    private final long intervalMillis;
    private final Clock clock;
    private final boolean bug;
    /** How long without a failure before a success ends the fault; 0: the first success does. */
    private final long quietMillis;

    private volatile boolean failing;
    private long lastFailureAt;
    private long firstFailureAt;
    private long lastLineAt;
    private long total;
    private long sinceLastLine;

    /**
     * @param log where to write
     * @param what the operation that fails, as it should read in a sentence ("publishing send commands to Kafka")
     * @param interval at most one line per interval while the fault lasts
     */
    public FaultLog(Logger log, String what, Duration interval) {
        this(log, what, interval, Clock.systemUTC());
    }

    FaultLog(Logger log, String what, Duration interval, Clock clock) {
        this(log, what, interval, clock, false);
    }

    /**
     * @param bug whether the failure is a bug rather than an outage: its first line is then an ERROR with the stack
     *     trace (what a developer needs), the repeats are counted as for any fault
     */
    FaultLog(Logger log, String what, Duration interval, Clock clock, boolean bug) {
        this(log, what, interval, clock, bug, 0);
    }

    private FaultLog(Logger log, String what, Duration interval, Clock clock, boolean bug, long quietMillis) {
        this.log = log;
        this.what = what;
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
        this.bug = bug;
        this.quietMillis = quietMillis;
    }

    /**
     * A fault log for operations that fail one at a time among others that succeed (records to a partition without a
     * leader among records to healthy ones, say): a success ends the fault only once {@code interval} has passed
     * without a failure. Ended by every success, such a fault would log a line for every failure and every success
     * that follows one.
     */
    public static FaultLog endedByQuiet(Logger log, String what, Duration interval) {
        return endedByQuiet(log, what, interval, Clock.systemUTC());
    }

    static FaultLog endedByQuiet(Logger log, String what, Duration interval, Clock clock) {
        return new FaultLog(log, what, interval, clock, false, interval.toMillis());
    }

    /** One more failure; logs only if it starts a fault or an interval has passed since the last line. */
    public void failed(Throwable cause) {
        long now = clock.millis();
        String line = null;
        long count = 0;
        boolean first = false;
        synchronized (this) {
            total++;
            sinceLastLine++;
            lastFailureAt = now;
            if (!failing) {
                failing = true;
                first = true;
                firstFailureAt = now;
                lastLineAt = now;
                sinceLastLine = 0;
            } else if (now - lastLineAt >= intervalMillis) {
                count = sinceLastLine;
                sinceLastLine = 0;
                lastLineAt = now;
                line = describe(cause);
            }
        }
        if (first && bug) {
            log.error(
                    "{} failed: {} (further failures like it are counted, not logged one by one)",
                    capitalized(),
                    describe(cause),
                    cause);
        } else if (first) {
            log.warn(
                    "{} failed: {} (further failures are counted, not logged one by one)",
                    capitalized(),
                    describe(cause));
            log.debug("{} failed", capitalized(), cause);
        } else if (line != null) {
            log.warn(
                    "{} still failing: {} more failures in the last {} s; latest: {}",
                    capitalized(),
                    count,
                    intervalMillis / 1000,
                    line);
        }
    }

    /** A success: ends a fault in progress (one INFO line), otherwise does nothing. */
    public void succeeded() {
        if (!failing) {
            return;
        }
        long failures;
        long lasted;
        synchronized (this) {
            if (!failing || (quietMillis > 0 && clock.millis() - lastFailureAt < quietMillis)) {
                return;
            }
            failing = false;
            failures = total;
            lasted = clock.millis() - firstFailureAt;
            total = 0;
            sinceLastLine = 0;
        }
        log.info("{} works again after {} failures over {} ms", capitalized(), failures, lasted);
    }

    /** Whether the last outcome was a failure. */
    public boolean isFailing() {
        return failing;
    }

    private String capitalized() {
        return what.isEmpty() ? what : Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }

    private static final int MAX_CAUSES = 32;

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        Throwable root = cause;
        // Bounded: a cause chain can loop through several exceptions (A -> B -> A), not only through itself.
        for (int depth = 0; depth < MAX_CAUSES && root.getCause() != null && root.getCause() != root; depth++) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
