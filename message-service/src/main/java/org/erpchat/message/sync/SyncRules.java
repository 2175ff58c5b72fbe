package org.erpchat.message.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.erpchat.events.DigitStrings;
import org.erpchat.support.domain.RefusedException;
import org.springframework.stereotype.Component;

/** What a sync may ask for, checked alike for one caller ({@code POST /api/sync}) and for each user of a batch. */
@Component
class SyncRules {

    private final SyncProperties properties;

    SyncRules(SyncProperties properties) {
        this.properties = properties;
    }

    /** The earliest {@code as_of} taken: before it, an instant says nothing a sync could use. */
    private static final Instant EARLIEST_AS_OF = Instant.parse("2000-01-01T00:00:00Z");

    /**
     * {@code as_of} as given (null when absent); a bad request outside the years a message can have been stored in,
     * which the database's arithmetic would not take.
     */
    Instant asOf(Instant given) {
        if (given != null
                && (given.isBefore(EARLIEST_AS_OF)
                        || given.isAfter(Instant.now().plus(Duration.ofDays(1))))) {
            throw RefusedException.invalid("as_of must be an instant between 2000 and tomorrow");
        }
        return given;
    }

    /**
     * The positions to sync from, in conversation id order; a bad request when they are not positions. The keys come
     * as the JSON has them and must be digits only, as every integer (Jackson's own key parsing would take {@code "+5"}
     * or {@code " 5"}); read here rather than by Jackson so that in a batch a bad key fails its own request alone.
     */
    Map<Long, Long> positions(Map<String, Long> given) {
        Map<Long, Long> positions = new TreeMap<>();
        if (given == null) {
            return positions;
        }
        if (given.size() > properties.maxPositions()) {
            throw RefusedException.invalid(
                    "positions may list at most " + properties.maxPositions() + " conversations");
        }
        given.forEach((key, seq) -> {
            long conversationId = DigitStrings.positiveId(key);
            if (conversationId <= 0 || seq == null || seq < 0) {
                throw RefusedException.invalid(
                        "positions maps conversation ids (strings of digits) to non-negative seq numbers");
            }
            positions.put(conversationId, seq);
        });
        return positions;
    }

    /**
     * The page sizes of a batch's users: as asked, unless together they pass {@code batch-max-messages}; then each is
     * cut in proportion to what it asked, to at least one message. A page cut short says {@code has_more}, and its
     * user's next sync goes on from it: nothing is skipped.
     */
    int[] batchLimits(int[] asked) {
        long total = 0;
        for (int limit : asked) {
            total += limit;
        }
        int budget = properties.batchMaxMessages();
        if (total <= budget) {
            return asked;
        }
        int[] cut = new int[asked.length];
        for (int i = 0; i < asked.length; i++) {
            cut[i] = (int) Math.max(1, asked[i] * (long) budget / total);
        }
        return cut;
    }

    /** The page size asked for, or the default; a bad request when out of range. */
    int limit(Integer given) {
        int limit = given == null ? properties.defaultLimit() : given;
        if (limit < 1 || limit > properties.maxLimit()) {
            throw RefusedException.invalid("limit must be between 1 and " + properties.maxLimit());
        }
        return limit;
    }
}
