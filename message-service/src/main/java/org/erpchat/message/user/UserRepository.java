package org.erpchat.message.user;

import static org.erpchat.message.conversation.ConversationStore.timestamp;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code users} table. */
@Repository
class UserRepository {

    private static final RowMapper<UserView> USER =
            (rs, row) -> new UserView(rs.getLong("id"), rs.getString("display_name"));

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a caller: inserts it, or updates its name when the token carries a different one. A token without a name
     * keeps the stored name. Writes nothing when nothing changed.
     */
    int recordSeen(long id, String name, Instant now) {
        return jdbc.sql("""
                INSERT INTO users (id, display_name, created_at, updated_at) VALUES (:id, :name, :now, :now)
                ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
                WHERE EXCLUDED.display_name IS NOT NULL AND users.display_name IS DISTINCT FROM EXCLUDED.display_name
                """)
                .param("id", id)
                .param("name", name)
                .param("now", timestamp(now))
                .update();
    }

    /** The ERP's provisioning: the given name wins. */
    int provision(long id, String name, Instant now) {
        return jdbc.sql("""
                INSERT INTO users (id, display_name, created_at, updated_at) VALUES (:id, :name, :now, :now)
                ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
                """)
                .param("id", id)
                .param("name", name)
                .param("now", timestamp(now))
                .update();
    }

    boolean existsById(long id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM users WHERE id = :id)")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    List<Long> findExistingIds(Collection<Long> ids) {
        return jdbc.sql("SELECT id FROM users WHERE id = ANY(:ids)")
                .param("ids", ids.toArray(Long[]::new))
                .query(Long.class)
                .list();
    }

    List<UserView> findByIdInOrderById(Collection<Long> ids) {
        return jdbc.sql("SELECT id, display_name FROM users WHERE id = ANY(:ids) ORDER BY id")
                .param("ids", ids.toArray(Long[]::new))
                .query(USER)
                .list();
    }

    Optional<UserView> findById(long id) {
        return jdbc.sql("SELECT id, display_name FROM users WHERE id = :id")
                .param("id", id)
                .query(USER)
                .optional();
    }
}
