package org.erpchat.events;

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

    static String notBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
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
        for (Long id : ids) {
            if (id == null || id <= 0) {
                throw new IllegalArgumentException(name + " must hold positive user ids, had " + id);
            }
        }
        return List.copyOf(ids);
    }
}
