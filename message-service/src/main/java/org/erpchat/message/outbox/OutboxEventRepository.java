package org.erpchat.message.outbox;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface OutboxEventRepository extends JpaRepository<OutboxEvent, Long> {

    /** The entry that has waited longest (ids grow with time). */
    Optional<OutboxEvent> findFirstByOrderByIdAsc();
}
