package org.erpchat.message.user;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface UserRepository extends JpaRepository<ChatUser, Long> {

    /**
     * Records a caller: inserts it, or updates its name when the token carries a different one. A token without a name
     * keeps the stored name. Writes nothing when nothing changed.
     */
    @Modifying
    @Query(nativeQuery = true, value = """
            INSERT INTO users (id, display_name, created_at, updated_at) VALUES (:id, :name, :now, :now)
            ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
            WHERE EXCLUDED.display_name IS NOT NULL AND users.display_name IS DISTINCT FROM EXCLUDED.display_name
            """)
    int recordSeen(@Param("id") long id, @Param("name") String name, @Param("now") Instant now);

    /** The ERP's provisioning: the given name wins. */
    @Modifying
    @Query(nativeQuery = true, value = """
            INSERT INTO users (id, display_name, created_at, updated_at) VALUES (:id, :name, :now, :now)
            ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
            """)
    int provision(@Param("id") long id, @Param("name") String name, @Param("now") Instant now);

    @Query("select u.id from ChatUser u where u.id in :ids")
    List<Long> findExistingIds(@Param("ids") Collection<Long> ids);

    List<ChatUser> findByIdInOrderById(Collection<Long> ids);
}
