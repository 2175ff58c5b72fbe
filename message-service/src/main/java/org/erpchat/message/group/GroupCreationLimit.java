package org.erpchat.message.group;

import static org.erpchat.message.conversation.ConversationStore.instant;
import static org.erpchat.message.conversation.ConversationStore.timestamp;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The bound on the groups one user creates: at most {@code groups.max-creations} within any
 * {@code groups.creation-window}. Counted in PostgreSQL, where the groups are written, by creator (table
 * {@code group_creations}; not by owner, which passes on when an owner leaves): every instance sees the same count,
 * and there is no second store whose outage would let creations through, as Redis's lets sends through the send rate
 * limit.
 */
@Component
class GroupCreationLimit {

    /**
     * The first key of the creation locks: the two-key advisory locks are a key space apart from the single-key ones
     * (which tests and operators use by hand), and nothing else here takes them. The second key is the user id's
     * hash: two users whose ids share it only wait for each other's creations.
     */
    private static final int LOCK_SPACE = 0x47724372; // "GrCr"

    private final JdbcClient jdbc;
    private final GroupProperties properties;

    GroupCreationLimit(JdbcClient jdbc, GroupProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * How long {@code userId} must wait before creating another group, judged at {@code now}; empty when the user may
     * create one now. Runs in the creating transaction and holds the user's creation lock until it ends.
     *
     * <p>The count and the insert that follows must be one step, or two creations at the limit, in parallel on two
     * instances, would both count {@code max - 1} and both pass. A transaction-scoped advisory lock on the user makes
     * them take turns: it costs no row and no write, it is released by the commit or rollback (never left behind), and
     * it holds up only that user's other creations. Locking the user's row instead would also hold up updates of it
     * (display names) and, as {@code FOR UPDATE}, every insert that references it (a membership: being added to a
     * group); {@code SERIALIZABLE} would need retries. The wait is bounded by {@code groups.lock-timeout} (then 503).
     */
    Optional<Duration> waitBeforeCreating(long userId, Instant now) {
        // set_config in a subquery runs before the lock is asked for, so the timeout bounds this wait too.
        jdbc.sql("SELECT pg_advisory_xact_lock(:space, :key)"
                        + " FROM (SELECT set_config('lock_timeout', :lockTimeout, true)) bounds")
                .param("space", LOCK_SPACE)
                .param("key", Long.hashCode(userId))
                .param("lockTimeout", properties.lockTimeout().toMillis() + "ms")
                .query()
                .listOfRows();
        // Statements of their own, after the lock: their snapshots (READ COMMITTED) include the creation of a
        // transaction that held the lock before. What has left the window counts no more, and goes, so that the table
        // keeps about one window's creations. The maxCreations-th latest creation within the window, if any, is the
        // one that must leave it first (an index range scan on (creator_id, created_at) that reads at most that many).
        Duration window = properties.creationWindow();
        jdbc.sql("DELETE FROM group_creations WHERE creator_id = :user AND created_at <= :since")
                .param("user", userId)
                .param("since", timestamp(now.minus(window)))
                .update();
        return jdbc.sql("""
                        SELECT created_at FROM group_creations
                        WHERE creator_id = :user AND created_at > :since
                        ORDER BY created_at DESC
                        LIMIT 1 OFFSET :skip
                        """)
                .param("user", userId)
                .param("since", timestamp(now.minus(window)))
                .param("skip", properties.maxCreations() - 1)
                .query((rs, n) -> instant(rs, "created_at"))
                .optional()
                .map(oldest -> Duration.between(now, oldest.plus(window)));
    }

    /** Counts {@code groupId}'s creation against {@code userId}, in the creating transaction. */
    void created(long userId, long groupId, Instant now) {
        jdbc.sql("INSERT INTO group_creations (creator_id, created_at, group_id) VALUES (:user, :now, :group)")
                .param("user", userId)
                .param("now", timestamp(now))
                .param("group", groupId)
                .update();
    }
}
