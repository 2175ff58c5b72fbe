package org.erpchat.support.logging;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * A {@link FaultLog} per key, for a fault that belongs to one source among many that succeed meanwhile: a gateway whose
 * clock is off sends stale heartbeats while every other gateway's are fresh. With one {@link FaultLog} for all of them
 * each fresh heartbeat would end the fault and the next stale one start it again, two lines every time; here only a
 * success of the same key ends its fault.
 *
 * <p>Only keys that are failing are held, at most {@code maxKeys}; failures of keys beyond that are counted together.
 * Thread-safe.
 */
public final class KeyedFaultLog {

    private final Logger log;
    private final String what;
    private final Duration interval;
    private final Clock clock;
    private final int maxKeys;
    private final boolean bugs;
    private final Map<String, FaultLog> failing = new ConcurrentHashMap<>();
    private final FaultLog overflow;

    /**
     * @param what the operation that fails, as it should read in a sentence; the key follows it ("applying heartbeats
     *     of gateway" reads "Applying heartbeats of gateway gw-1 failed: ...")
     * @param maxKeys the most keys logged on their own at one time
     */
    public KeyedFaultLog(Logger log, String what, Duration interval, int maxKeys) {
        this(log, what, interval, maxKeys, Clock.systemUTC(), false);
    }

    /**
     * For bugs, keyed by where they happen: the first failure of each key is an ERROR with its stack trace, its repeats
     * are counted; nothing ends such a fault but a restart (no success is reported for a key).
     */
    public static KeyedFaultLog forBugs(Logger log, String what, Duration interval, int maxKeys) {
        return new KeyedFaultLog(log, what, interval, maxKeys, Clock.systemUTC(), true);
    }

    /**
     * A bug's kind, for {@link #forBugs}: its root cause's class and where our code threw it, that is the first frame of
     * the project's own code (else the first outside the JDK and Spring), so that two bugs that fail in the same library
     * call (a {@code requireNonNull}, an {@code Assert}) are still told apart.
     */
    public static String bugKey(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; depth < 32 && root.getCause() != null && root.getCause() != root; depth++) {
            root = root.getCause();
        }
        StackTraceElement[] stack = root.getStackTrace();
        StackTraceElement where = null;
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("org.erpchat.")) {
                where = frame;
                break;
            }
        }
        for (int i = 0; where == null && i < stack.length; i++) {
            String type = stack[i].getClassName();
            if (!type.startsWith("java.")
                    && !type.startsWith("jdk.")
                    && !type.startsWith("sun.")
                    && !type.startsWith("jakarta.")
                    && !type.startsWith("org.springframework.")) {
                where = stack[i];
            }
        }
        if (where == null && stack.length > 0) {
            where = stack[0];
        }
        return root.getClass().getName()
                + (where == null ? "" : " at " + where.getClassName() + "." + where.getMethodName());
    }

    KeyedFaultLog(Logger log, String what, Duration interval, int maxKeys, Clock clock) {
        this(log, what, interval, maxKeys, clock, false);
    }

    private KeyedFaultLog(Logger log, String what, Duration interval, int maxKeys, Clock clock, boolean bugs) {
        this.bugs = bugs;
        this.log = log;
        this.what = what;
        this.interval = interval;
        this.clock = clock;
        this.maxKeys = maxKeys;
        this.overflow = new FaultLog(log, what + " others (too many failing to name each)", interval, clock, bugs);
    }

    /** One more failure of {@code key}; logs only if it starts that key's fault or an interval has passed. */
    public void failed(String key, Throwable cause) {
        FaultLog faults = failing.get(key);
        if (faults == null) {
            if (failing.size() >= maxKeys) {
                overflow.failed(cause);
                return;
            }
            faults = failing.computeIfAbsent(key, k -> new FaultLog(log, what + " " + k, interval, clock, bugs));
        }
        faults.failed(cause);
    }

    /** A success of {@code key}: ends that key's fault (one INFO line), otherwise does nothing. */
    public void succeeded(String key) {
        if (failing.isEmpty() && !overflow.isFailing()) {
            return; // the usual case: nothing failing, one read
        }
        FaultLog faults = failing.remove(key);
        if (faults != null) {
            faults.succeeded();
        } else if (failing.isEmpty()) {
            // The keys counted together are not told apart: their fault ends once no key is failing on its own.
            overflow.succeeded();
        }
    }

    /** Whether {@code key} is failing now. */
    public boolean isFailing(String key) {
        FaultLog faults = failing.get(key);
        return faults != null && faults.isFailing();
    }
}
