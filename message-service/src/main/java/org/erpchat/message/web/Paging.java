package org.erpchat.message.web;

import java.util.Optional;
import java.util.function.Function;
import org.erpchat.support.domain.RefusedException;

/**
 * The paging parameters the list endpoints share ({@code GET /api/conversations}, {@code GET /api/groups}):
 * {@code limit} within its bounds, {@code cursor} taken only as the API wrote it. Either refused is 400
 * {@code invalid_request}.
 */
public final class Paging {

    private Paging() {}

    /** {@code limit}, or {@code defaultLimit} when none was given; 1 to {@code maxLimit}. */
    public static int pageSize(Integer limit, int defaultLimit, int maxLimit) {
        int pageSize = limit == null ? defaultLimit : limit;
        if (pageSize < 1 || pageSize > maxLimit) {
            throw RefusedException.invalid("limit must be between 1 and " + maxLimit);
        }
        return pageSize;
    }

    /** Where the page starts, decoded from {@code cursor}; null for the first page (no cursor, or an empty one). */
    public static <C> C after(String cursor, Function<String, Optional<C>> decode) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        return decode.apply(cursor).orElseThrow(() -> RefusedException.invalid("cursor is not one this API returned"));
    }
}
