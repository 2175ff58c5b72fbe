package org.erpchat.events;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Argument checks for the records' compact constructors. A record that fails them cannot be built, so a malformed
 * record read from Kafka fails decoding (and goes to the dead-letter topic) instead of reaching business code.
 */
final class Require {

    private Require() {}

    static <T> T present(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** The first instant an event may carry: none happened before. */
    static final Instant EARLIEST = Instant.EPOCH;

    /** The last instant an event may carry: the last that PostgreSQL and every reader's date arithmetic can hold. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /**
     * A point in time between {@link #EARLIEST} and {@link #LATEST}. An instant far outside them is valid JSON but no
     * event's time, and converting it (to milliseconds, to a database timestamp) overflows in the consumer: it would
     * fail there on every retry instead of being dead-lettered at once.
     */
    static Instant instant(Instant value, String name) {
        present(value, name);
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw new IllegalArgumentException(
                    name + " must lie between " + EARLIEST + " and " + LATEST + ", was " + value);
        }
        return value;
    }

    static String notBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static String atMost(String value, int maxLength, String name) {
        if (value != null && value.length() > maxLength) {
            throw new IllegalArgumentException(
                    name + " must be at most " + maxLength + " characters, had " + value.length());
        }
        return value;
    }

    static long positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static Long positiveOrNull(Long value, String name) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    /** An immutable copy of a list of user ids, each positive. */
    static List<Long> userIds(Collection<Long> ids, String name) {
        present(ids, name);
        if (ids.size() > EventLimits.MAX_USER_IDS) {
            throw new IllegalArgumentException(
                    name + " must hold at most " + EventLimits.MAX_USER_IDS + " user ids, had " + ids.size());
        }
        for (Long id : ids) {
            if (id == null || id <= 0) {
                throw new IllegalArgumentException(name + " must hold positive user ids, had " + id);
            }
        }
        return List.copyOf(ids);
    }
}
