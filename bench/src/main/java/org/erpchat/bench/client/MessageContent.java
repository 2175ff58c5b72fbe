package org.erpchat.bench.client;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The benchmark's messages carry the time they were meant to be sent ({@code b|<epoch micros>|<n>}), so any process on
 * the machine can compute a delivery's latency from the intended send time, not from when a stalled sender got round
 * to it (no coordinated omission), without a shared table of send times.
 */
public final class MessageContent {

    private static final String PREFIX = "b|";

    private MessageContent() {}

    public static String of(long intendedEpochMicros, long n) {
        return PREFIX + intendedEpochMicros + "|" + n;
    }

    /** The intended send time in epoch microseconds, or -1 if the content is not a benchmark message. */
    public static long intendedEpochMicros(String content) {
        if (content == null || !content.startsWith(PREFIX)) {
            return -1;
        }
        int end = content.indexOf('|', PREFIX.length());
        try {
            return Long.parseLong(content.substring(PREFIX.length(), end < 0 ? content.length() : end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static long nowEpochMicros() {
        Instant now = Instant.now();
        return ChronoUnit.MICROS.between(Instant.EPOCH, now);
    }
}
