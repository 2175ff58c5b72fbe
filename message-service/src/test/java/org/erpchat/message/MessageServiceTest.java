package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.WithRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of every integration test: the whole service on a random port against the shared real PostgreSQL, Kafka and
 * Redis. Every test class uses exactly this configuration, so they all share one application context. Tests never
 * clean up; they stay apart by using fresh user ids (and so fresh conversations).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithRealInfrastructure
@ActiveProfiles("test")
public abstract class MessageServiceTest {

    private static final AtomicLong USER_IDS = new AtomicLong(10_000);

    @LocalServerPort
    protected int port;

    @Autowired
    protected ChatInfrastructure infrastructure;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    private DataSource dataSource;

    protected Api api;

    @BeforeEach
    void setUpApi() {
        api = new Api(port);
    }

    /** A user id no test has used yet; the service has never heard of it. */
    protected static long newUserId() {
        return USER_IDS.incrementAndGet();
    }

    /** A fresh user the service knows (it called the API once, as every real user does). */
    protected long knownUser() {
        long id = newUserId();
        assertThat(api.as(id).get("/api/users/me").status()).isEqualTo(200);
        return id;
    }

    protected Api.Response sendPrivate(long from, long to, String content) {
        return api.as(from).post("/api/messages/private", Api.body("receiver_id", to, "content", content));
    }

    protected Api.Response sendPrivate(long from, long to, String content, String clientMsgId) {
        return api.as(from)
                .post(
                        "/api/messages/private",
                        Api.body("receiver_id", to, "content", content, "client_msg_id", clientMsgId));
    }

    protected Api.Response sendGroup(long from, long groupId, String content) {
        return api.as(from).post("/api/messages/group", Api.body("group_id", groupId, "content", content));
    }

    /** Creates a group owned by {@code owner} with {@code members}; returns its id. */
    protected long createGroup(long owner, List<Long> members) {
        Api.Response created =
                api.as(owner).post("/api/groups", Api.body("name", "Group of " + owner, "member_ids", members));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.longValue("id");
    }

    /** The ids of the groups on one page of {@code GET /api/groups}, in the order given. */
    protected static List<Long> groupIdsOn(Api.Response page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return page.body()
                .get("groups")
                .valueStream()
                .map(group -> group.get("id").asLong())
                .toList();
    }

    /** The conversation of two users who have exchanged a message. */
    protected long privateConversationId(long a, long b) {
        return jdbc.sql("SELECT id FROM conversations WHERE user_low = :low AND user_high = :high")
                .param("low", Math.min(a, b))
                .param("high", Math.max(a, b))
                .query(Long.class)
                .single();
    }

    /** The last sequence number a conversation has given out. */
    protected long lastSeq(long conversationId) {
        return jdbc.sql("SELECT last_seq FROM conversations WHERE id = :id")
                .param("id", conversationId)
                .query(Long.class)
                .single();
    }

    /**
     * Another transaction holding {@code conversationId}'s row lock, as a concurrent send does while it stores, until
     * the returned handle is closed (which rolls it back).
     */
    protected AutoCloseable holdConversationLock(long conversationId) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement lock =
                    connection.prepareStatement("SELECT id FROM conversations WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, conversationId);
                lock.executeQuery().close();
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return () -> {
            try (connection) {
                connection.rollback();
            }
        };
    }

    protected long outboxBacklog() {
        return jdbc.sql("SELECT count(*) FROM outbox_event").query(Long.class).single();
    }
}
