package org.erpchat.message.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {

    @Test
    void carriesVersionVariantAndTimestamp() {
        long millis = 1_764_000_000_123L;
        UUID id = UuidV7.at(millis);

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
    }

    @Test
    void laterMillisecondsSortLater() {
        UUID earlier = UuidV7.at(1_000);
        UUID later = UuidV7.at(1_001);

        assertThat(later.toString()).isGreaterThan(earlier.toString());
        assertThat(UuidV7.next()).isNotEqualTo(UuidV7.next());
    }
}
