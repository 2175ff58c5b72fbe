package org.erpchat.message.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finds, or creates on first use, the private conversation of a pair of users. A pair's conversation never changes and
 * is never deleted (nor are users), so ids read from committed rows are cached: a send between people who have talked
 * before asks the database nothing to find their conversation. An id created by the caller's own transaction is not
 * cached, since that transaction may still roll back.
 */
@Component
public class PrivateConversations {

    /** About 100 bytes per pair: 100,000 active pairs in about 10 MB. */
    private static final int CACHED_PAIRS = 100_000;

    private record Pair(long low, long high) {
        static Pair of(long userA, long userB) {
            return new Pair(Math.min(userA, userB), Math.max(userA, userB));
        }
    }

    private final ConversationStore store;
    private final Cache<Pair, Long> ids =
            Caffeine.newBuilder().maximumSize(CACHED_PAIRS).build();

    PrivateConversations(ConversationStore store) {
        this.store = store;
    }

    /** The pair's conversation id when it is known to exist without asking the database. */
    public Optional<Long> known(long userA, long userB) {
        return Optional.ofNullable(ids.getIfPresent(Pair.of(userA, userB)));
    }

    /**
     * The pair's conversation id, created with both users as members when it does not exist yet. Concurrent first
     * sends between the same pair end up in the same conversation.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long findOrCreate(long userA, long userB, Instant now) {
        Pair pair = Pair.of(userA, userB);
        Optional<Long> existing = store.privateConversationId(pair.low(), pair.high());
        if (existing.isEmpty()) {
            Optional<Long> created = store.createPrivate(pair.low(), pair.high(), now);
            if (created.isPresent()) {
                return created.get();
            }
            // Created by a concurrent first send, which committed while the insert waited for it.
            existing = store.privateConversationId(pair.low(), pair.high());
        }
        long id = existing.orElseThrow();
        ids.put(pair, id);
        return id;
    }
}
