package org.erpchat.message.message;

import static org.erpchat.message.conversation.ConversationStore.instant;
import static org.erpchat.message.conversation.ConversationStore.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.MessageType;
import org.erpchat.message.conversation.Kinds;
import org.erpchat.message.outbox.Outbox;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Messages in PostgreSQL. Every read is a range scan on the {@code (conversation_id, seq)} unique index or a lookup on
 * {@code (sender_id, client_msg_id)}; the conversation row is joined for the receiver/group of each message.
 */
@Repository
public class MessageStore {

    /** Columns of {@link #ROW}; {@code m} is messages, {@code c} its conversation. */
    public static final String COLUMNS = "m.id, m.conversation_id, m.seq, m.sender_id, m.type, m.content, m.file_id,"
            + " m.client_msg_id, m.created_at, c.kind, c.user_low, c.user_high";

    /** Maps {@link #COLUMNS} to a {@link MessageView}. */
    public static final RowMapper<MessageView> ROW = MessageStore::view;

    private final JdbcClient jdbc;

    /**
     * One snapshot for a sync's two statements: read committed, a send that commits between them would be seen by the
     * second (which brings positions claimed beyond a conversation's end back to its last {@code seq}) and not by the
     * first (which reads the messages), and the client would be told it has a message it never got.
     */
    private final TransactionTemplate snapshot;

    MessageStore(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(transactionManager);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    /**
     * Stores a message, its outbox entry, and the sender's read marker moved up to it, in one statement (one round trip
     * instead of three). A repeated {@code (sender_id, client_msg_id)} fails the whole statement with a unique
     * violation, so nothing of it is stored.
     */
    void insert(MessageView message, Outbox.Entry announcement) {
        JdbcClient.StatementSpec statement = jdbc.sql("""
                WITH stored AS (
                    INSERT INTO messages (id, conversation_id, seq, sender_id, type, content, file_id, client_msg_id,
                                          created_at)
                    VALUES (:id, :conversation, :seq, :sender, :type, :content, :file, :clientMsgId, :createdAt)
                ), announced AS (
                    %s
                )
                UPDATE conversation_members SET read_seq = :seq
                WHERE conversation_id = :conversation AND user_id = :sender AND read_seq < :seq
                """.formatted(Outbox.INSERT))
                .param("id", UUID.fromString(message.id()))
                .param("conversation", message.conversationId())
                .param("seq", message.seq())
                .param("sender", message.senderId())
                .param("type", wireName(message.type()))
                .param("content", message.content())
                .param("file", message.fileId())
                .param("clientMsgId", message.clientMsgId())
                .param("createdAt", timestamp(message.createdAt()));
        announcement.bind(statement).update();
    }

    /**
     * {@link #insert} for several messages in one statement: the messages, their outbox entries (given in the same
     * order, and stored in that order, so that each conversation's events keep their sequence order in the outbox) and
     * each sender's read marker, moved up to the last of its messages in each conversation. A repeated
     * {@code (sender_id, client_msg_id)} fails the whole statement, so nothing of it is stored.
     */
    void insertAll(List<MessageView> batch, List<Outbox.Entry> announcements) {
        int size = batch.size();
        String[] ids = new String[size];
        Long[] conversations = new Long[size];
        Long[] seqs = new Long[size];
        Long[] senders = new Long[size];
        String[] types = new String[size];
        String[] contents = new String[size];
        String[] files = new String[size];
        String[] clientMsgIds = new String[size];
        String[] createdAt = new String[size];
        Map<List<Long>, Long> readUpTo = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            MessageView message = batch.get(i);
            ids[i] = message.id();
            conversations[i] = message.conversationId();
            seqs[i] = message.seq();
            senders[i] = message.senderId();
            types[i] = wireName(message.type());
            contents[i] = message.content();
            files[i] = message.fileId();
            clientMsgIds[i] = message.clientMsgId();
            createdAt[i] = message.createdAt().toString();
            readUpTo.merge(List.of(message.conversationId(), message.senderId()), message.seq(), Math::max);
        }
        JdbcClient.StatementSpec statement = jdbc.sql("""
                WITH stored AS (
                    INSERT INTO messages (id, conversation_id, seq, sender_id, type, content, file_id, client_msg_id,
                                          created_at)
                    SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:conversations AS bigint[]),
                                         CAST(:seqs AS bigint[]), CAST(:senders AS bigint[]), CAST(:types AS text[]),
                                         CAST(:contents AS text[]), CAST(:files AS text[]),
                                         CAST(:clientMsgIds AS text[]), CAST(:createdAt AS timestamptz[]))
                ), announced AS (
                    %s
                )
                UPDATE conversation_members m SET read_seq = r.seq
                FROM unnest(CAST(:readConversations AS bigint[]), CAST(:readers AS bigint[]),
                            CAST(:readSeqs AS bigint[])) AS r(conversation_id, user_id, seq)
                WHERE m.conversation_id = r.conversation_id AND m.user_id = r.user_id AND m.read_seq < r.seq
                """.formatted(Outbox.INSERT_ALL))
                .param("ids", ids)
                .param("conversations", conversations)
                .param("seqs", seqs)
                .param("senders", senders)
                .param("types", types)
                .param("contents", contents)
                .param("files", files)
                .param("clientMsgIds", clientMsgIds)
                .param("createdAt", createdAt)
                .param(
                        "readConversations",
                        readUpTo.keySet().stream().map(key -> key.get(0)).toArray(Long[]::new))
                .param(
                        "readers",
                        readUpTo.keySet().stream().map(key -> key.get(1)).toArray(Long[]::new))
                .param("readSeqs", readUpTo.values().toArray(Long[]::new));
        Outbox.bindAll(statement, announcements).update();
    }

    /** The message a sender stored under a client message id, whichever conversation it went to. */
    public Optional<MessageView> findByClientMsgId(long senderId, String clientMsgId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                        + " WHERE m.sender_id = :sender AND m.client_msg_id = :clientMsgId")
                .param("sender", senderId)
                .param("clientMsgId", clientMsgId)
                .query(ROW)
                .optional();
    }

    /**
     * A page of one conversation's history, in ascending {@code seq}: the newest {@code limit} messages below
     * {@code before} (or overall), or, when {@code after} is given, the oldest {@code limit} above it (and below
     * {@code before} if both are given). Fetches one extra row to tell whether more exist in the paging direction.
     */
    public Page history(long conversationId, Long before, Long after, int limit) {
        long upper = before == null ? Long.MAX_VALUE : before;
        List<MessageView> rows;
        if (after != null) {
            rows = jdbc.sql("SELECT " + COLUMNS + " FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                            + " WHERE m.conversation_id = :id AND m.seq > :after AND m.seq < :upper"
                            + " ORDER BY m.seq LIMIT :limit")
                    .param("id", conversationId)
                    .param("after", after)
                    .param("upper", upper)
                    .param("limit", limit + 1)
                    .query(ROW)
                    .list();
            boolean more = rows.size() > limit;
            return new Page(more ? rows.subList(0, limit) : rows, more);
        }
        rows = jdbc.sql("SELECT " + COLUMNS + " FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                        + " WHERE m.conversation_id = :id AND m.seq < :upper ORDER BY m.seq DESC LIMIT :limit")
                .param("id", conversationId)
                .param("upper", upper)
                .param("limit", limit + 1)
                .query(ROW)
                .list();
        boolean more = rows.size() > limit;
        List<MessageView> page = new ArrayList<>(more ? rows.subList(0, limit) : rows);
        Collections.reverse(page);
        return new Page(page, more);
    }

    /**
     * What {@code userId} missed: for each conversation it currently belongs to, in conversation id order, the
     * messages with {@code seq} above the position given for it (0 when none is), at most {@code limit} in all. The
     * outer scan walks the caller's memberships in id order on {@code conversation_members_by_user} and skips
     * conversations with nothing new by their {@code last_seq}; from the counts {@code last_seq} gives it takes only
     * the conversations the page reaches, each with a range scan on {@code (conversation_id, seq)} that stops at the
     * rows the page still needs, so a page costs {@code limit} index entries however long the gap and however many
     * conversations have something new.
     */
    public Page missedBy(long userId, Map<Long, Long> positions, int limit, Instant asOf) {
        return missedBy(List.of(new MissedQuery(userId, positions, limit, asOf)))
                .get(0);
    }

    /**
     * {@link #missedBy(long, Map, int, Instant)} for many users in one statement (a gateway resuming many clients at
     * once asks for all their first pages together); one page per query, in order. Each query runs as the single-user
     * form does, on its own positions and limit.
     */
    public List<Page> missedBy(List<MissedQuery> queries) {
        // Without a position there is nothing to bring back, and one statement is its own snapshot.
        return queries.stream().allMatch(query -> query.positions().isEmpty())
                ? read(queries)
                : snapshot.execute(status -> read(queries));
    }

    private List<Page> read(List<MissedQuery> queries) {
        // The queries travel as one JSON array of numbers built here from validated longs (never client text).
        StringBuilder json = new StringBuilder("[");
        for (MissedQuery query : queries) {
            json.append(json.length() > 1 ? "," : "")
                    .append("{\"u\":")
                    .append(query.userId())
                    .append(",\"l\":")
                    .append(query.limit() + 1)
                    .append(query.asOf() == null ? "" : ",\"a\":" + query.asOf().toEpochMilli())
                    .append(",\"p\":{");
            int before = json.length();
            query.positions()
                    .forEach((id, seq) -> json.append(json.length() > before ? "," : "")
                            .append('"')
                            .append(id)
                            .append("\":")
                            .append(seq));
            json.append("}}");
        }
        json.append(']');
        List<List<MessageView>> rows = new ArrayList<>(queries.size());
        queries.forEach(query -> rows.add(new ArrayList<>()));
        // Seqs are gap-free and never deleted, so a conversation holds exactly last_seq - position messages after the
        // position: the running sum of those counts says, before reading any message, which conversations the page
        // reaches and how many rows to take from each. The page reads its limit + 1 rows, not limit + 1 from every
        // conversation with something new.
        jdbc.sql("""
                SELECT r.idx AS query_index, x.*
                FROM jsonb_array_elements(CAST(:queries AS jsonb)) WITH ORDINALITY AS r(q, idx)
                CROSS JOIN LATERAL (
                    SELECT %s
                    FROM (
                        SELECT w.*, LEAST(w.missed, w.wanted - w.before) AS take
                        FROM (
                            SELECT cm.conversation_id, c.kind, c.user_low, c.user_high,
                                   COALESCE(p.seq, 0) AS after,
                                   c.last_seq - COALESCE(p.seq, 0) AS missed,
                                   CAST(r.q ->> 'l' AS int) AS wanted,
                                   CAST(COALESCE(SUM(c.last_seq - COALESCE(p.seq, 0)) OVER (
                                       ORDER BY cm.conversation_id
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS bigint) AS before
                            FROM conversation_members cm
                            JOIN conversations c ON c.id = cm.conversation_id
                            LEFT JOIN (SELECT CAST(key AS bigint) AS conversation_id, CAST(value AS bigint) AS seq
                                       FROM jsonb_each_text(r.q -> 'p')) p
                                   ON p.conversation_id = cm.conversation_id
                            WHERE cm.user_id = CAST(r.q ->> 'u' AS bigint) AND c.last_seq > COALESCE(p.seq, 0)
                        ) w
                        WHERE w.before < w.wanted
                    ) c
                    CROSS JOIN LATERAL (
                        SELECT * FROM messages mm
                        WHERE mm.conversation_id = c.conversation_id AND mm.seq > c.after
                        ORDER BY mm.seq
                        LIMIT c.take
                    ) m
                ) x
                ORDER BY r.idx, x.conversation_id, x.seq
                """.formatted(COLUMNS)).param("queries", json.toString()).query((RowCallbackHandler)
                rs -> rows.get(rs.getInt("query_index") - 1).add(view(rs, 0)));
        List<Map<Long, Long>> ends = new ArrayList<>(queries.size());
        boolean[] unreadPastEnds = new boolean[queries.size()];
        positionsBeyondTheEnd(queries, json.toString(), ends, unreadPastEnds);
        List<Page> pages = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            List<MessageView> found = rows.get(i);
            int limit = queries.get(i).limit();
            boolean full = found.size() > limit;
            // A position brought back below the last seq has messages past it that this page did not read (it read
            // from the position given): the next page, from the position answered, does. Not read into this page:
            // gateways take a position answered below the one they sent for where the client's history ends, and
            // would drop the page's messages of that conversation up to it as ones the client has.
            pages.add(new Page(full ? found.subList(0, limit) : found, full || unreadPastEnds[i], ends.get(i)));
        }
        return pages;
    }

    /**
     * How many of a conversation's newest messages {@link #positionsBeyondTheEnd} looks at for the first stored after
     * {@code asOf}: bounded, since {@code asOf} comes from the caller. When all of them are newer, the answer is the
     * seq below them, which may give the client a message it has rather than withhold one it does not.
     */
    static final int NEWS_LOOKBACK = 100;

    /**
     * Per query, the conversations of its user whose given position lies beyond their last {@code seq}, with that
     * {@code seq}, or, when the query has an {@code asOf}, with the {@code seq} before the first message stored after
     * it (the first by {@code seq}, not by time: a message is stamped before it waits for its conversation's lock, so
     * stamps and {@code seq}s need not agree). A client
     * that claims to have more than exists (state kept across a restore of the database, or a bug) would otherwise take
     * every new message up to its claim for one it already has; and a message stored after its session opened is news
     * to it whatever it claims, so the gateway, which holds such messages for the session while it replays, asks as of
     * then. Fills {@code ends} with one map per query, and sets {@code unreadPastEnds} for the queries that have a
     * position brought back below its conversation's last {@code seq}: messages past it remain.
     */
    private void positionsBeyondTheEnd(
            List<MissedQuery> queries, String json, List<Map<Long, Long>> ends, boolean[] unreadPastEnds) {
        boolean anyPosition = false;
        for (MissedQuery query : queries) {
            ends.add(Map.of());
            anyPosition |= !query.positions().isEmpty();
        }
        if (!anyPosition) {
            return;
        }
        jdbc.sql("""
                SELECT r.idx AS query_index, c.id, c.last_seq AS end_seq,
                       CASE WHEN r.q ->> 'a' IS NULL THEN c.last_seq
                            ELSE COALESCE((SELECT min(n.seq) - 1
                                           FROM (SELECT m.seq, m.created_at FROM messages m
                                                 WHERE m.conversation_id = c.id
                                                 ORDER BY m.seq DESC LIMIT %d) n
                                           WHERE n.created_at > to_timestamp(CAST(r.q ->> 'a' AS bigint) / 1000.0)),
                                          c.last_seq)
                       END AS last_seq
                FROM jsonb_array_elements(CAST(:queries AS jsonb)) WITH ORDINALITY AS r(q, idx)
                CROSS JOIN LATERAL jsonb_each_text(r.q -> 'p') AS p(conversation_id, seq)
                JOIN conversation_members cm ON cm.conversation_id = CAST(p.conversation_id AS bigint)
                                            AND cm.user_id = CAST(r.q ->> 'u' AS bigint)
                JOIN conversations c ON c.id = cm.conversation_id
                WHERE c.last_seq < CAST(p.seq AS bigint)
                """.formatted(NEWS_LOOKBACK)).param("queries", json).query((RowCallbackHandler) rs -> {
            int index = rs.getInt("query_index") - 1;
            if (ends.get(index).isEmpty()) {
                ends.set(index, new HashMap<>());
            }
            long position = rs.getLong("last_seq");
            ends.get(index).put(rs.getLong("id"), position);
            unreadPastEnds[index] |= position < rs.getLong("end_seq");
        });
    }

    /**
     * One user's {@link #missedBy(long, Map, int, Instant)}; {@code asOf} (may be null) bounds where a position beyond
     * its conversation's end comes back (above).
     */
    public record MissedQuery(long userId, Map<Long, Long> positions, int limit, Instant asOf) {}

    /**
     * Messages in ascending order and whether more exist beyond them (past the page, or past a position brought back
     * below its conversation's last {@code seq}); and the conversations whose given position lies beyond their last
     * {@code seq}, with the position they come back as.
     */
    public record Page(List<MessageView> messages, boolean hasMore, Map<Long, Long> ends) {

        public Page(List<MessageView> messages, boolean hasMore) {
            this(messages, hasMore, Map.of());
        }
    }

    static String wireName(MessageType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static MessageView view(ResultSet rs, int row) throws SQLException {
        ConversationKind kind = Kinds.fromWireName(rs.getString("kind"));
        long conversationId = rs.getLong("conversation_id");
        long senderId = rs.getLong("sender_id");
        Long receiverId = null;
        Long groupId = null;
        if (kind == ConversationKind.GROUP) {
            groupId = conversationId;
        } else {
            long low = rs.getLong("user_low");
            long high = rs.getLong("user_high");
            receiverId = senderId == low ? high : low;
        }
        return new MessageView(
                rs.getObject("id", UUID.class).toString(),
                conversationId,
                kind,
                rs.getLong("seq"),
                senderId,
                receiverId,
                groupId,
                rs.getString("content"),
                MessageType.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)),
                rs.getString("file_id"),
                rs.getString("client_msg_id"),
                instant(rs, "created_at"));
    }

    static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
