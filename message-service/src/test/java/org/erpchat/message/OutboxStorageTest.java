package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How PostgreSQL stores outbox entries, which live for milliseconds: as they are, without compressing them. */
class OutboxStorageTest extends MessageServiceTest {

    @Test
    void payloadsAreStoredWithoutCompression() {
        String storage = jdbc.sql("""
                SELECT attstorage::text FROM pg_attribute
                WHERE attrelid = 'outbox_event'::regclass AND attname = 'payload'
                """).query(String.class).single();

        // 'e' (external): out of line when large, never compressed; the default for bytea, 'x', compresses.
        assertThat(storage).isEqualTo("e");
    }
}
