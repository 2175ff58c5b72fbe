package org.erpchat.bench.client;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one process's sockets received, shared by all of them: deliveries, duplicates and gaps (per conversation seq),
 * acknowledgements, errors by code, close codes, and the latency of deliveries in microseconds from the intended send
 * time. {@link #snapshot(boolean)} reads it, optionally starting a new interval.
 */
public final class DeliveryStats {

    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(30);

    private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    private final LongAdder acks = new LongAdder();
    private final Map<String, LongAdder> messageErrors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> protocolErrors = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();

    void delivered(long latencyMicros) {
        delivered.increment();
        if (latencyMicros >= 0) {
            latency.recordValue(Math.min(latencyMicros, HIGHEST_MICROS));
        }
    }

    void duplicate() {
        duplicates.increment();
    }

    void gap(long missing) {
        gaps.add(missing);
    }

    void ack() {
        acks.increment();
    }

    void messageError(String code) {
        messageErrors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void protocolError(String code) {
        protocolErrors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void closed(int code) {
        closes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** Counters since the start (or the last reset), and the latency histogram of the interval. */
    public synchronized Snapshot snapshot(boolean reset) {
        Histogram histogram = latency.getIntervalHistogram();
        Snapshot snapshot = new Snapshot(
                reset ? delivered.sumThenReset() : delivered.sum(),
                reset ? duplicates.sumThenReset() : duplicates.sum(),
                reset ? gaps.sumThenReset() : gaps.sum(),
                reset ? acks.sumThenReset() : acks.sum(),
                counts(messageErrors, reset),
                counts(protocolErrors, reset),
                counts(closes, reset),
                histogram);
        return snapshot;
    }

    private static <K> Map<String, Long> counts(Map<K, LongAdder> counters, boolean reset) {
        Map<String, Long> counts = new TreeMap<>();
        counters.forEach((key, counter) -> {
            long value = reset ? counter.sumThenReset() : counter.sum();
            if (value > 0) {
                counts.put(String.valueOf(key), value);
            }
        });
        return counts;
    }

    /**
     * @param latencyMicros deliveries of benchmark messages since the previous snapshot (each snapshot starts a new
     *     latency interval; callers that do not reset add the intervals up)
     */
    public record Snapshot(
            long delivered,
            long duplicates,
            long gaps,
            long acks,
            Map<String, Long> messageErrors,
            Map<String, Long> protocolErrors,
            Map<String, Long> closes,
            Histogram latencyMicros) {}
}
