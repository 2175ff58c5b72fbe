package org.erpchat.message.user;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user this service has heard of. The ERP owns users; this is only what a chat needs of them. */
@Entity
@Table(name = "users")
class ChatUser {

    @Id
    private Long id;

    @Column(name = "display_name")
    private String displayName;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ChatUser() {}

    long id() {
        return id;
    }

    String displayName() {
        return displayName;
    }
}
