package org.erpchat.message.inbox;

import static org.erpchat.message.conversation.ConversationStore.instant;
import static org.erpchat.message.conversation.ConversationStore.timestamp;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.erpchat.events.ConversationKind;
import org.erpchat.message.conversation.Kinds;
import org.erpchat.message.message.MessageStore;
import org.erpchat.message.message.MessageView;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The caller's conversations, most recent activity first. One page costs three queries whatever its size: the page
 * (from the caller's memberships), the last message of each (unique index lookups on {@code (conversation_id, seq)}),
 * and the member ids of each.
 */
@Component
class InboxQueries {

    /** Position after which the next page starts: the last row's activity time and id (ties broken by id). */
    record Cursor(Instant lastActivityAt, long id) {

        String encode() {
            long micros = lastActivityAt.getEpochSecond() * 1_000_000 + lastActivityAt.getNano() / 1_000;
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
        }

        static Optional<Cursor> decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split(":");
                long micros = Long.parseLong(parts[0]);
                Instant at = Instant.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
                return parts.length == 2 ? Optional.of(new Cursor(at, Long.parseLong(parts[1]))) : Optional.empty();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    record Page(List<ConversationView> conversations, Cursor next) {}

    private record Row(
            long id,
            ConversationKind kind,
            String groupName,
            Long peerId,
            String peerName,
            long lastSeq,
            Instant lastActivityAt,
            long readSeq) {}

    private final JdbcClient jdbc;

    InboxQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    Page page(long userId, Cursor after, int limit) {
        String cursorCondition = after == null ? "" : " AND (c.last_activity_at, c.id) < (:at, :afterId)";
        JdbcClient.StatementSpec statement = jdbc.sql(
                        select(cursorCondition) + " ORDER BY c.last_activity_at DESC, c.id DESC LIMIT :limit")
                .param("user", userId)
                .param("limit", limit + 1);
        if (after != null) {
            statement = statement.param("at", timestamp(after.lastActivityAt())).param("afterId", after.id());
        }
        List<Row> rows = statement.query((rs, n) -> row(rs, userId)).list();
        boolean more = rows.size() > limit;
        List<Row> page = more ? rows.subList(0, limit) : rows;
        Cursor next = more
                ? new Cursor(
                        page.get(page.size() - 1).lastActivityAt(),
                        page.get(page.size() - 1).id())
                : null;
        return new Page(views(page), next);
    }

    @Transactional(readOnly = true)
    Optional<ConversationView> one(long userId, long conversationId) {
        List<Row> rows = jdbc.sql(select(" AND c.id = :id"))
                .param("user", userId)
                .param("id", conversationId)
                .query((rs, n) -> row(rs, userId))
                .list();
        return views(rows).stream().findFirst();
    }

    /**
     * Everyone who shares a conversation with {@code userId}, in ascending order; with {@code maxGroupSize}, only
     * through private conversations and groups of at most that many members.
     */
    @Transactional(readOnly = true)
    List<Long> contacts(long userId, Integer maxGroupSize) {
        return contacts(List.of(userId), maxGroupSize).getOrDefault(userId, List.of());
    }

    /**
     * The contacts of each user, in one query however many users: everyone who shares a private conversation with
     * them, or a group (of at most {@code maxGroupSize} members when given). Users without contacts are left out.
     */
    Map<Long, List<Long>> contacts(Collection<Long> userIds, Integer maxGroupSize) {
        Map<Long, List<Long>> contacts = new HashMap<>();
        if (userIds.isEmpty()) {
            return contacts;
        }
        jdbc.sql("""
                        WITH mine AS (
                            SELECT cm.user_id, cm.conversation_id FROM conversation_members cm
                            JOIN conversations c ON c.id = cm.conversation_id
                            WHERE cm.user_id IN (:users)
                              AND (CAST(:max AS integer) IS NULL OR c.kind = 'private'
                                   OR (SELECT count(*) FROM conversation_members m
                                       WHERE m.conversation_id = c.id) <= :max))
                        SELECT DISTINCT mine.user_id, other.user_id AS contact FROM mine
                        JOIN conversation_members other ON other.conversation_id = mine.conversation_id
                        WHERE other.user_id <> mine.user_id
                        ORDER BY mine.user_id, contact
                        """)
                .param("users", List.copyOf(userIds))
                .param("max", maxGroupSize)
                .query((RowCallbackHandler) rs -> {
                    contacts.computeIfAbsent(rs.getLong("user_id"), user -> new ArrayList<>())
                            .add(rs.getLong("contact"));
                });
        return contacts;
    }

    private static String select(String extraCondition) {
        return """
                SELECT c.id, c.kind, c.name, c.user_low, c.user_high, c.last_seq, c.last_activity_at, me.read_seq,
                       peer.display_name AS peer_name
                FROM conversation_members me
                JOIN conversations c ON c.id = me.conversation_id
                LEFT JOIN users peer ON c.kind = 'private'
                     AND peer.id = CASE WHEN c.user_low = :user THEN c.user_high ELSE c.user_low END
                WHERE me.user_id = :user""" + extraCondition;
    }

    private static Row row(ResultSet rs, long userId) throws SQLException {
        ConversationKind kind = Kinds.fromWireName(rs.getString("kind"));
        Long peerId = null;
        if (kind == ConversationKind.PRIVATE) {
            long low = rs.getLong("user_low");
            peerId = low == userId ? rs.getLong("user_high") : low;
        }
        return new Row(
                rs.getLong("id"),
                kind,
                rs.getString("name"),
                peerId,
                rs.getString("peer_name"),
                rs.getLong("last_seq"),
                instant(rs, "last_activity_at"),
                rs.getLong("read_seq"));
    }

    private List<ConversationView> views(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(Row::id).toList();
        Map<Long, MessageView> lastMessages = new HashMap<>();
        jdbc.sql("SELECT " + MessageStore.COLUMNS + " FROM conversations c"
                        + " JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq WHERE c.id IN (:ids)")
                .param("ids", ids)
                .query(MessageStore.ROW)
                .list()
                .forEach(message -> lastMessages.put(message.conversationId(), message));
        Map<Long, List<Long>> members = new HashMap<>();
        jdbc.sql("SELECT conversation_id, user_id FROM conversation_members WHERE conversation_id IN (:ids)"
                        + " ORDER BY conversation_id, user_id")
                .param("ids", ids)
                .query((rs, n) -> {
                    members.computeIfAbsent(rs.getLong("conversation_id"), id -> new ArrayList<>())
                            .add(rs.getLong("user_id"));
                    return null;
                })
                .list();
        List<ConversationView> views = new ArrayList<>(rows.size());
        for (Row row : rows) {
            boolean group = row.kind() == ConversationKind.GROUP;
            String name = group ? row.groupName() : row.peerName() != null ? row.peerName() : "User " + row.peerId();
            views.add(new ConversationView(
                    row.id(),
                    row.kind(),
                    group ? row.id() : null,
                    name,
                    row.peerId(),
                    List.copyOf(members.getOrDefault(row.id(), List.of())),
                    lastMessages.get(row.id()),
                    row.lastSeq(),
                    row.readSeq(),
                    Math.max(0, row.lastSeq() - row.readSeq())));
        }
        return views;
    }
}
