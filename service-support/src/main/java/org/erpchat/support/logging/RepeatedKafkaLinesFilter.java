package org.erpchat.support.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A fault is logged once with a count, also when Kafka's own clients report it. While a broker is down every producer,
 * consumer and admin client logs a WARN on each reconnect attempt ("Connection to node 1 ... could not be
 * established"), about once a second each; with some 28 clients per service that buried everything else. Our own code
 * reports the outage once ({@link FaultLog}); this filter does the same for the lines of Kafka's client loggers:
 *
 * <ul>
 *   <li>the first WARN or INFO line of a kind is logged as it is; a kind is the logger and the text without the
 *       client's prefix ({@link LineKind}), so the same line from every client counts as one;
 *   <li>repeats are held back and counted; while they go on, one line per window says how many there were;
 *   <li>once a whole window passes without one, the count ends (with a last line if any were held back since the last
 *       one, written by the next {@link #sweep()}) and the next line of the kind is logged again.
 * </ul>
 *
 * ERROR lines and other levels pass untouched. At most {@link #MAX_KINDS} kinds are counted at once; lines of further
 * kinds pass as they are, so memory stays bounded. It sees only the lines of Kafka's client loggers, and only those
 * their level lets through: {@link KafkaClientLinesAppender} applies it to them alone. (It was a Logback turbo filter
 * once, which Logback consults on every logging call and every {@code isDebugEnabled()} of every logger: 1.4-1.9 % of
 * the gateway's and message-service's CPU went to asking it, docs/benchmarks.md section 7, step 28.)
 */
final class RepeatedKafkaLinesFilter extends Filter<ILoggingEvent> {

    /** Where the loggers of Kafka's producers, consumers and admin clients are. */
    static final String KAFKA_CLIENTS = "org.apache.kafka.clients";

    /** Kinds of line counted at once: far more than an outage produces (a handful per broker), and a bound. */
    static final int MAX_KINDS = 1_000;

    private final Logger summaries;
    private final long windowMillis;
    private final int maxKinds;
    private final Clock clock;
    private final ConcurrentMap<LineKind, LineRepeats> kinds = new ConcurrentHashMap<>();

    RepeatedKafkaLinesFilter(LoggerContext context, Duration window) {
        this(context, window, MAX_KINDS, Clock.systemUTC());
    }

    RepeatedKafkaLinesFilter(LoggerContext context, Duration window, int maxKinds, Clock clock) {
        setContext(context);
        setName("repeated-kafka-lines");
        // A logger of ours, so that the summaries are never counted themselves.
        this.summaries = context.getLogger(RepeatedKafkaLinesFilter.class);
        this.windowMillis = window.toMillis();
        this.maxKinds = maxKinds;
        this.clock = clock;
    }

    /** The window, for whoever calls {@link #sweep()}. */
    Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    @Override
    public FilterReply decide(ILoggingEvent line) {
        Level level = line.getLevel();
        String format = line.getMessage();
        if (format == null || (level != Level.WARN && level != Level.INFO)) {
            return FilterReply.NEUTRAL;
        }
        return count(LineKind.of(line.getLoggerName(), format), level, clock.millis());
    }

    /**
     * Ends the counts that had no repeat for a whole window, with their last line. Called once per window: a count
     * whose lines stopped is reported without waiting for the next line of its kind, which may never come.
     */
    void sweep() {
        long now = clock.millis();
        kinds.forEach((kind, repeats) -> ended(kind, repeats, repeats.endIfQuiet(now, windowMillis)));
    }

    /** Reports what is held back and forgets every count: the filter is being removed. */
    void endAll() {
        kinds.forEach((kind, repeats) -> ended(kind, repeats, repeats.end()));
    }

    private FilterReply count(LineKind kind, Level level, long now) {
        while (true) {
            LineRepeats repeats = kinds.get(kind);
            if (repeats == null) {
                if (kinds.size() >= maxKinds) {
                    return FilterReply.NEUTRAL;
                }
                if (kinds.putIfAbsent(kind, new LineRepeats(level, now)) == null) {
                    return FilterReply.NEUTRAL;
                }
                continue;
            }
            if (ended(kind, repeats, repeats.endIfQuiet(now, windowMillis))) {
                continue;
            }
            LineRepeats.Summary summary = repeats.repeated(now, windowMillis);
            if (summary == LineRepeats.ENDED) {
                // A sweep ended it between the two calls; this line starts the kind's next count.
                kinds.remove(kind, repeats);
                continue;
            }
            if (summary != null) {
                log(repeats.level(), "{} more like this in the last {} s from {}: {}", kind, summary);
            }
            return FilterReply.DENY;
        }
    }

    /** Forgets a count that {@code rest} says has ended, with a last line if lines were held back; false if not. */
    private boolean ended(LineKind kind, LineRepeats repeats, LineRepeats.Summary rest) {
        if (rest == null) {
            return false;
        }
        kinds.remove(kind, repeats);
        if (rest.count() > 0) {
            log(repeats.level(), "{} more like this within {} s, then they stopped, from {}: {}", kind, rest);
        }
        return true;
    }

    private void log(Level level, String format, LineKind kind, LineRepeats.Summary summary) {
        long seconds = Math.max(1, (summary.millis() + 999) / 1000);
        if (level.isGreaterOrEqual(Level.WARN)) {
            summaries.warn(format, summary.count(), seconds, kind.logger(), kind.text());
        } else {
            summaries.info(format, summary.count(), seconds, kind.logger(), kind.text());
        }
    }
}
