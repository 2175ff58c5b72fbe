package org.erpchat.bench.report;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A latency distribution in milliseconds, from a histogram in microseconds. */
public record Latency(long count, double p50, double p90, double p99, double p999, double max) {

    public static Latency ofMicros(Histogram micros) {
        return new Latency(
                micros.getTotalCount(),
                ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)),
                ms(micros.getValueAtPercentile(99.9)),
                ms(micros.getMaxValue()));
    }

    public ObjectNode toJson() {
        return JsonNodeFactory.instance
                .objectNode()
                .put("count", count)
                .put("p50_ms", p50)
                .put("p90_ms", p90)
                .put("p99_ms", p99)
                .put("p99_9_ms", p999)
                .put("max_ms", max);
    }

    @Override
    public String toString() {
        return String.format("n=%d p50=%.1fms p99=%.1fms p99.9=%.1fms max=%.1fms", count, p50, p99, p999, max);
    }

    private static double ms(long micros) {
        return Math.round(micros / 100.0) / 10.0;
    }
}
