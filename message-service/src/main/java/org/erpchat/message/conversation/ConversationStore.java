package org.erpchat.message.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Conversations and memberships in PostgreSQL. Writes are plain SQL because they rely on PostgreSQL semantics that an
 * ORM would hide: {@code UPDATE ... RETURNING} for the sequence counter (its row lock serialises the senders of one
 * conversation and a rollback undoes the increment), {@code INSERT ... ON CONFLICT} for find-or-create, and
 * {@code SELECT ... FOR UPDATE} to order membership changes. Callers run these inside their transaction.
 */
@Repository
public class ConversationStore {

    private static final String COLUMNS =
            "c.id, c.kind, c.name, c.owner_id, c.user_low, c.user_high, c.last_seq, c.created_at, c.members_version";

    private static final RowMapper<ConversationRef> CONVERSATION = ConversationStore::conversation;
    private static final RowMapper<Member> MEMBER = (rs, row) -> new Member(
            rs.getLong("user_id"),
            MemberRole.fromWireName(rs.getString("role")),
            rs.getLong("read_seq"),
            instant(rs, "joined_at"));

    private final JdbcClient jdbc;

    ConversationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Creates the private conversation of two users, with both as members, unless it exists; empty when it did. A
     * concurrent creation of the same pair makes this insert wait for the other one and then do nothing.
     */
    Optional<Long> createPrivate(long userA, long userB, Instant now) {
        long low = Math.min(userA, userB);
        long high = Math.max(userA, userB);
        Optional<Long> created = jdbc.sql("""
                INSERT INTO conversations (kind, user_low, user_high, last_seq, last_activity_at, created_at)
                VALUES ('private', :low, :high, 0, :now, :now)
                ON CONFLICT (user_low, user_high) DO NOTHING
                RETURNING id
                """)
                .param("low", low)
                .param("high", high)
                .param("now", timestamp(now))
                .query(Long.class)
                .optional();
        created.ifPresent(id -> {
            addMember(id, low, MemberRole.MEMBER, now);
            addMember(id, high, MemberRole.MEMBER, now);
        });
        return created;
    }

    public Optional<Long> privateConversationId(long userA, long userB) {
        return jdbc.sql("SELECT id FROM conversations WHERE user_low = :low AND user_high = :high")
                .param("low", Math.min(userA, userB))
                .param("high", Math.max(userA, userB))
                .query(Long.class)
                .optional();
    }

    public long createGroup(String name, long ownerId, Instant now) {
        return jdbc.sql("""
                INSERT INTO conversations (kind, name, owner_id, last_seq, last_activity_at, created_at)
                VALUES ('group', :name, :owner, 0, :now, :now)
                RETURNING id
                """)
                .param("name", name)
                .param("owner", ownerId)
                .param("now", timestamp(now))
                .query(Long.class)
                .single();
    }

    public Optional<ConversationRef> find(long conversationId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM conversations c WHERE c.id = :id")
                .param("id", conversationId)
                .query(CONVERSATION)
                .optional();
    }

    /** The conversation, only when {@code userId} is one of its current participants. */
    public Optional<ConversationRef> findForMember(long conversationId, long userId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM conversations c JOIN conversation_members m"
                        + " ON m.conversation_id = c.id AND m.user_id = :user WHERE c.id = :id")
                .param("id", conversationId)
                .param("user", userId)
                .query(CONVERSATION)
                .optional();
    }

    /**
     * Locks the conversation row until the transaction ends and returns it as it is now. Everything that assigns a
     * {@code seq} or changes membership takes this lock first, so such changes of one conversation happen one at a
     * time, and their outbox entries are written in the same order as their sequence numbers.
     *
     * <p>Waits at most {@code lockTimeout} for it ({@code SET LOCAL lock_timeout}, set by the same statement before
     * the row is locked; also the bound of the transaction's later lock waits): a lock held too long fails the change
     * (a transient failure) instead of stalling it.
     */
    public Optional<ConversationRef> lock(long conversationId, Duration lockTimeout) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM conversations c,"
                        + " (SELECT set_config('lock_timeout', :lockTimeout, true)) bounds"
                        + " WHERE c.id = :id FOR UPDATE OF c")
                .param("id", conversationId)
                .param("lockTimeout", lockTimeout.toMillis() + "ms")
                .query(CONVERSATION)
                .optional();
    }

    /**
     * {@link #lock} and {@link #nextSeq} in one statement, for the send path: assigns the next sequence number and
     * returns the conversation with it as {@code lastSeq}, holding the row lock until the transaction ends. Empty when
     * no such conversation exists. A caller that then refuses the send rolls back, which undoes the increment.
     *
     * <p>The same statement first sets {@code bounds} for the rest of the transaction ({@code SET LOCAL}, as
     * {@code set_config(..., true)}), one round trip fewer per send. Its one-row subquery runs before the row is
     * locked, so the lock timeout already bounds the wait for this lock; the statement timeout takes effect from the
     * next statement on.
     */
    public Optional<ConversationRef> claimNextSeq(long conversationId, Instant now, WaitBounds bounds) {
        return jdbc.sql("""
                        UPDATE conversations c SET last_seq = c.last_seq + 1, last_activity_at = :now
                        FROM (SELECT set_config('lock_timeout', :lockTimeout, true),
                                     set_config('statement_timeout', :statementTimeout, true)) bounds
                        WHERE c.id = :id
                        RETURNING\s""" + COLUMNS)
                .param("id", conversationId)
                .param("now", timestamp(now))
                .param("lockTimeout", bounds.lockTimeout())
                .param("statementTimeout", bounds.statementTimeout())
                .query(CONVERSATION)
                .optional();
    }

    /**
     * {@link #claimNextSeq} for several conversations in one statement, for sends stored together: adds
     * {@code counts.get(id)} to each conversation's {@code last_seq} and returns the conversations with their new
     * {@code lastSeq} (the last of the numbers claimed), holding their row locks until the transaction ends. Missing
     * conversations are simply not returned.
     *
     * <p>The rows are locked in ascending id order, as every batch locks them, so two batches that share
     * conversations wait for each other instead of deadlocking (a single send locks one conversation only). The
     * bounds are set by an uncorrelated subquery, which PostgreSQL evaluates once before it scans, so the lock timeout
     * bounds these waits too. The update repeats {@code id = ANY(:ids)}: without it, the plan PostgreSQL caches for
     * this statement (a generic plan, which cannot see how many ids there are) joined the locked rows to a scan of the
     * whole table (docs/benchmarks.md, section 7, step 9).
     */
    public List<ConversationRef> claimSeqs(SortedMap<Long, Integer> counts, Instant now, WaitBounds bounds) {
        return jdbc.sql("""
                        WITH locked AS MATERIALIZED (
                            SELECT id FROM conversations
                            WHERE id = ANY(:ids)
                              AND (SELECT set_config('lock_timeout', :lockTimeout, true)
                                          || set_config('statement_timeout', :statementTimeout, true)) IS NOT NULL
                            ORDER BY id
                            FOR NO KEY UPDATE
                        )
                        UPDATE conversations c SET last_seq = c.last_seq + claim.n, last_activity_at = :now
                        FROM locked, unnest(CAST(:ids AS bigint[]), CAST(:counts AS int[])) AS claim(id, n)
                        WHERE c.id = ANY(:ids) AND c.id = locked.id AND claim.id = locked.id
                        RETURNING\s""" + COLUMNS)
                .param("ids", counts.keySet().toArray(Long[]::new))
                .param("counts", counts.values().toArray(Integer[]::new))
                .param("now", timestamp(now))
                .param("lockTimeout", bounds.lockTimeout())
                .param("statementTimeout", bounds.statementTimeout())
                .query(CONVERSATION)
                .list();
    }

    /** {@link #memberIds} of several conversations in one query; a conversation without members is absent. */
    public Map<Long, List<Long>> memberIdsOf(Collection<Long> conversationIds) {
        Map<Long, List<Long>> members = new HashMap<>();
        jdbc.sql("""
                SELECT conversation_id, user_id FROM conversation_members
                WHERE conversation_id = ANY(:ids) ORDER BY conversation_id, user_id
                """).param("ids", conversationIds.toArray(Long[]::new)).query((RowCallbackHandler)
                rs -> members.computeIfAbsent(rs.getLong("conversation_id"), id -> new ArrayList<>())
                        .add(rs.getLong("user_id")));
        return members;
    }

    /** PostgreSQL's {@code lock_timeout} and {@code statement_timeout} for a transaction, as settings text. */
    public record WaitBounds(String lockTimeout, String statementTimeout) {}

    /** Assigns the next sequence number (gap-free: a rollback undoes it) and records the activity time. */
    public long nextSeq(long conversationId, Instant now) {
        return jdbc.sql("""
                UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = :now
                WHERE id = :id
                RETURNING last_seq
                """)
                .param("id", conversationId)
                .param("now", timestamp(now))
                .query(Long.class)
                .single();
    }

    /** Current participants' ids in ascending order. */
    public List<Long> memberIds(long conversationId) {
        return jdbc.sql("SELECT user_id FROM conversation_members WHERE conversation_id = :id ORDER BY user_id")
                .param("id", conversationId)
                .query(Long.class)
                .list();
    }

    /** Current participants, the longest-standing first. */
    public List<Member> members(long conversationId) {
        return jdbc.sql("""
                SELECT user_id, role, read_seq, joined_at FROM conversation_members
                WHERE conversation_id = :id ORDER BY joined_at, user_id
                """).param("id", conversationId).query(MEMBER).list();
    }

    public Optional<Member> member(long conversationId, long userId) {
        return jdbc.sql("""
                SELECT user_id, role, read_seq, joined_at FROM conversation_members
                WHERE conversation_id = :id AND user_id = :user
                """)
                .param("id", conversationId)
                .param("user", userId)
                .query(MEMBER)
                .optional();
    }

    /** Adds a participant; false when it already was one. */
    public boolean addMember(long conversationId, long userId, MemberRole role, Instant now) {
        return jdbc.sql("""
                INSERT INTO conversation_members (conversation_id, user_id, role, read_seq, joined_at)
                VALUES (:id, :user, :role, 0, :now)
                ON CONFLICT (conversation_id, user_id) DO NOTHING
                """)
                        .param("id", conversationId)
                        .param("user", userId)
                        .param("role", role.wireName())
                        .param("now", timestamp(now))
                        .update()
                > 0;
    }

    public boolean removeMember(long conversationId, long userId) {
        return jdbc.sql("DELETE FROM conversation_members WHERE conversation_id = :id AND user_id = :user")
                        .param("id", conversationId)
                        .param("user", userId)
                        .update()
                > 0;
    }

    public boolean setRole(long conversationId, long userId, MemberRole role) {
        return jdbc.sql("""
                UPDATE conversation_members SET role = :role
                WHERE conversation_id = :id AND user_id = :user AND role <> :role
                """)
                        .param("id", conversationId)
                        .param("user", userId)
                        .param("role", role.wireName())
                        .update()
                > 0;
    }

    public void setOwner(long conversationId, long ownerId) {
        jdbc.sql("UPDATE conversations SET owner_id = :owner WHERE id = :id")
                .param("id", conversationId)
                .param("owner", ownerId)
                .update();
    }

    /**
     * Moves a participant's read marker forward to {@code seq} (never back). Returns the new marker, or empty when it
     * did not move (already there or further, or not a participant).
     */
    public Optional<Long> advanceReadSeq(long conversationId, long userId, long seq) {
        return jdbc.sql("""
                UPDATE conversation_members SET read_seq = :seq
                WHERE conversation_id = :id AND user_id = :user AND read_seq < :seq
                RETURNING read_seq
                """)
                .param("id", conversationId)
                .param("user", userId)
                .param("seq", seq)
                .query(Long.class)
                .optional();
    }

    public static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static ConversationRef conversation(ResultSet rs, int row) throws SQLException {
        return new ConversationRef(
                rs.getLong("id"),
                Kinds.fromWireName(rs.getString("kind")),
                rs.getString("name"),
                rs.getObject("owner_id", Long.class),
                rs.getObject("user_low", Long.class),
                rs.getObject("user_high", Long.class),
                rs.getLong("last_seq"),
                instant(rs, "created_at"),
                rs.getLong("members_version"));
    }
}
